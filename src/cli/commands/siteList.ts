/**
 * `hmskort site list | add-worker | prune` (issue 18 parts 2-4): the site's daily list
 * (byggherreforskriften § 15) from the event store, workers added by hand, and retention.
 * Every sub-command reads the site configuration file and works on that site only.
 */
import { nowOption } from '../nowOption.js';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { checkOutputFile } from '../files.js';
import { openSiteStore, storeName } from './siteStore.js';
import { redact } from '../../fleet/redact.js';
import type { SqlDb } from '../../fleet/store/db.js';
import { loadSiteConfig, type SiteConfig } from '../../fleet/site/config.js';
import { SiteError, needDay } from '../../fleet/site/errors.js';
import { dailyList } from '../../fleet/site/dailyList.js';
import { listCsv, listJson, listText } from '../../fleet/site/format.js';
import { addManualWorker } from '../../fleet/site/manualWorkers.js';
import { pruneSite, type PruneResult } from '../../fleet/site/prune.js';

const CONFIG = { help: 'the site configuration JSON (siteId, name, address, byggherre, buildingWorkEnd, rawEventRetentionDays)', required: true } as const;

export async function withSite<T>(values: { db: string; config: string; site?: string }, ctx: CliContext, fn: (db: SqlDb, cfg: SiteConfig) => Promise<T>, command: string): Promise<T> {
  const cfg = await loadSiteConfig(resolve(ctx.cwd, values.config));
  // The configuration file names the site whose facts head the list: a list of another site under
  // its header would be a false document.
  if (values.site !== undefined && values.site !== cfg.siteId) throw new SiteError('SITE_MISMATCH', `--site ${values.site} is not the site of ${values.config} (${cfg.siteId})`, { field: 'site' });
  const db = await openSiteStore(values.db, command, { cwd: ctx.cwd, onIdleError: (e) => ctx.stderr(`hmskort site: database connection lost (${redact(e.message)})\n`) });
  try {
    return await fn(db, cfg);
  } finally {
    await db.close();
  }
}

const LIST = { site: { required: true }, date: { required: true }, csv: {}, json: {}, out: {}, db: { required: true }, config: CONFIG } as const;

async function list(values: Values<typeof LIST>, _p: string[], ctx: CliContext): Promise<number> {
  if (values.csv && values.json) throw new UsageError('--csv and --json: give one of them');
  const date = needDay(values.date, '--date');
  const out = values.out === undefined ? undefined : await checkOutputFile(values.out, '--out', ctx.cwd);
  const text = await withSite(values, ctx, async (db, cfg) => {
    const l = await dailyList(db, cfg, date);
    ctx.stderr(`hmskort site list: ${l.workers.length} worker(s) on ${cfg.siteId} ${date}, from ${storeName(db, values.db)}\n`);
    return values.csv ? listCsv(l) : values.json ? listJson(l) : listText(l);
  }, 'list');
  if (out !== undefined) await writeFile(out, text);
  else ctx.stdout(text);
  return EXIT.OK;
}

const ADD = {
  site: { required: true }, name: { required: true }, 'birth-date': { required: true }, 'org-number': { required: true }, 'org-name': { required: true },
  'hiring-org-number': {}, 'hiring-name': {}, from: { required: true }, to: {}, db: { required: true }, config: CONFIG,
} as const;

async function addWorker(values: Values<typeof ADD>, _p: string[], ctx: CliContext): Promise<number> {
  if ((values['hiring-name'] === undefined) !== (values['hiring-org-number'] === undefined)) throw new UsageError('--hiring-name and --hiring-org-number go together');
  const worker = {
    name: values.name,
    birthDate: values['birth-date'],
    employer: { name: values['org-name'], orgNumber: values['org-number'] },
    ...(values['hiring-name'] !== undefined ? { hiringCompany: { name: values['hiring-name'], orgNumber: values['hiring-org-number'] as string } } : {}),
    from: values.from,
    to: values.to ?? values.from,
  };
  const id = await withSite(values, ctx, (db, cfg) => addManualWorker(db, cfg, worker), 'add-worker');
  ctx.stdout(`added worker ${id} to ${values.site} for ${worker.from}..${worker.to}\n`);
  return EXIT.OK;
}

const PRUNE = { db: { required: true }, config: CONFIG, now: { help: 'prune as of this instant (ISO 8601) instead of the clock' }, json: {} } as const;

async function prune(values: Values<typeof PRUNE>, _p: string[], ctx: CliContext): Promise<number> {
  const now = new Date(nowOption(values.now) ?? Date.now());
  const r = await withSite(values, ctx, (db, cfg) => pruneSite(db, cfg, now), 'prune');
  ctx.stdout(values.json ? JSON.stringify(r) + '\n' : pruneText(r) + '\n');
  // Without buildingWorkEnd the list (names, birth dates) would be kept forever without a word: the
  // raw-event retention above is applied, then prune says so and fails until the key is set.
  if (r.listKeptUntil === undefined) {
    ctx.stderr(`hmskort site prune: ${noEndText(values.config)}\n`);
    return EXIT.FAILED;
  }
  return EXIT.OK;
}

/** What a prune did, one line (site prune, site serve --prune-daily). */
export function pruneText(r: PruneResult): string {
  return r.listExpired
    ? `building work ended; list kept until ${r.listKeptUntil}: deleted ${r.listRowsDeleted} list row(s), ${r.manualWorkersDeleted} worker(s) added by hand, ${r.eventsDeleted} raw event(s)`
    : `raw events before ${r.rawCutoff}: ${r.eventsDeleted} deleted, folded into ${r.listRowsFolded} list row(s), ${r.ingestErrorsDeleted} ingest error(s) deleted${r.listKeptUntil ? `; list kept until ${r.listKeptUntil}` : ''}`;
}

/** The warning of a configuration without buildingWorkEnd. */
export function noEndText(config: string): string {
  return `${config} has no buildingWorkEnd: the daily list is kept forever; set buildingWorkEnd (YYYY-MM-DD) so it is deleted 6 months after`;
}

export const listDescription = `list: the daily list of one site and one day (byggherreforskriften § 15): the site's name
and address, the byggherre, and per worker the name, birth date, employer and its organisation
number, the hiring company for hired workers, the HMS card number, the card's category and the
first and last tap of the day (Europe/Oslo). Allowed taps only. A name no tap has carried yet is
marked missing. Text by default, --csv (RFC 4180) or --json (the list; for prune, the counts).
add-worker: a worker whose card is on order, with the employer, for a range of days.
prune: deletes raw events older than rawEventRetentionDays (their day's list rows kept), and the
site's list once building work end + 6 months has passed, and ingest errors by the raw-event
retention. Passwords in --db are never printed.
Exit status (list, add-worker, prune): 0 done; 1 prune without buildingWorkEnd in the config (raw
events pruned, the list kept forever); 2 usage; 3 a bad config file, date, worker or
--site of another site; 4 the config file unreadable or the database unreachable.`;

export const siteListCommands = {
  list: declare({ options: LIST, run: list }),
  'add-worker': declare({ options: ADD, run: addWorker }),
  prune: declare({ options: PRUNE, run: prune }),
};
