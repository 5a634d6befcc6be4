/**
 * `hmskort site workers | remove-worker` (issue 18 part 2): the workers added by hand at the site
 * of `--config` (a card on order), listed, their range ended, or a row added by mistake deleted.
 * Only that site's rows: another site's id is "no worker N at site X" (exit 3), as a wrong one.
 */
import { nowOption } from '../nowOption.js';
import { writeFile } from 'node:fs/promises';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { checkOutputFile } from '../files.js';
import { needDay } from '../../fleet/site/errors.js';
import { deleteManualWorker, endManualWorker, listManualWorkers } from '../../fleet/site/manualWorkers.js';
import { manualWorkerLine, manualWorkersCsv, manualWorkersJson, manualWorkersText } from '../../fleet/site/manualWorkersFormat.js';
import { withSite } from './siteList.js';

const CONFIG = { help: 'the site configuration JSON (its siteId is the site whose workers these are)', required: true } as const;

const WORKERS = { site: {}, csv: { help: 'write the workers as CSV (RFC 4180, UTF-8, CRLF)' }, json: {}, out: {}, db: { required: true }, config: CONFIG } as const;

async function workers(values: Values<typeof WORKERS>, _p: string[], ctx: CliContext): Promise<number> {
  if (values.csv && values.json) throw new UsageError('--csv and --json: give one of them');
  const out = values.out === undefined ? undefined : await checkOutputFile(values.out, '--out', ctx.cwd);
  const text = await withSite(values, ctx, async (db, cfg) => {
    const rows = await listManualWorkers(db, cfg);
    return values.csv ? manualWorkersCsv(cfg.siteId, rows) : values.json ? manualWorkersJson(cfg.siteId, rows) : manualWorkersText(cfg.siteId, rows);
  }, 'workers');
  if (out !== undefined) await writeFile(out, text);
  else ctx.stdout(text);
  return EXIT.OK;
}

const REMOVE = {
  site: {},
  'worker-id': { required: true },
  to: { help: 'end the worker\'s range on this day (Oslo): yesterday or later, the lists of past days stay as they were' },
  'worker-delete': {},
  now: { help: 'as of this instant (ISO 8601) instead of the clock: which day is yesterday' },
  db: { required: true },
  config: CONFIG,
} as const;

async function removeWorker(values: Values<typeof REMOVE>, _p: string[], ctx: CliContext): Promise<number> {
  const del = values['worker-delete'] === true;
  if ((values.to === undefined) === !del) throw new UsageError('site remove-worker: give exactly one of --to YYYY-MM-DD (end the range) and --delete (a row added by mistake)');
  const now = new Date(nowOption(values.now) ?? Date.now());
  const id = values['worker-id'];
  if (del) {
    const w = await withSite(values, ctx, (db, cfg) => deleteManualWorker(db, cfg, id), 'remove-worker');
    ctx.stdout(`deleted ${manualWorkerLine(w)}\n`);
  } else {
    const to = needDay(values.to, '--to');
    const w = await withSite(values, ctx, (db, cfg) => endManualWorker(db, cfg, id, to, now), 'remove-worker');
    ctx.stdout(`ended ${manualWorkerLine(w)}\n`);
  }
  return EXIT.OK;
}

export const workersDescription = `workers: the workers added by hand at the site of --config (id, name, birth date, employer,
hiring company, first and last day), as text, --csv or --json.
remove-worker --id N: --to YYYY-MM-DD ends worker N's range on that day (yesterday or later in
Oslo: the lists of past days are records and stay as they were; not before its first day, not
after its last); --delete deletes a row added by mistake and prints it. A card row with the same
name, birth date and employer replaces the worker on the list by itself (docs/site.md).
Exit status (workers, remove-worker): 0 done; 2 usage; 3 no worker N at this site, a --to out of
range, a bad config file or --site of another site; 4 the config file unreadable or the database
unreachable.`;

export const siteWorkersCommands = {
  workers: declare({ options: WORKERS, run: workers }),
  'remove-worker': declare({ options: REMOVE, run: removeWorker }),
};
