/**
 * `hmskort site serve --db ... --config FILE --port N [--host H] --token-file F [--outbox DIR... |
 * --nats URL]` (issue 18 part 5): the site page for the site office (src/fleet/site/serve/).
 * Read-only, bound to 127.0.0.1 unless --host says otherwise, every request needs the token from the
 * token file. Runs until Ctrl-C.
 *
 * With --outbox or --nats it also ingests, on the store it serves: a PGlite directory is one
 * process's at a time, so on one machine without a server this is how the page gets live
 * decisions. The ingest loop is `site ingest`'s own (src/fleet/store/ingestFrom.ts); here it runs
 * under keepIngesting, so what would end `site ingest` (NATS unreachable, an outbox held by another
 * deliverer) is logged and retried and the page stays up. One Ctrl-C / SIGTERM stops both: the
 * ingest after the batch in hand (cursor after COMMIT), then the server, then the store.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, type Values } from '../declare.js';
import { untilAborted } from '../../transport/wait.js';
import { redact } from '../../fleet/redact.js';
import { findOutboxes } from '../../fleet/store/outboxIngest.js';
import { keepIngesting, type IngestSource } from '../../fleet/store/ingestFrom.js';
import { formatProgress, type IngestProgress } from '../../fleet/store/progress.js';
import { openSiteStore, storeName } from './siteStore.js';
import { noEndText, pruneText } from './siteList.js';
import { keepPruning } from '../../fleet/site/keepPruning.js';
import { loadSiteConfig } from '../../fleet/site/config.js';
import { SiteError } from '../../fleet/site/errors.js';
import { startSiteServer } from '../../fleet/site/serve/server.js';

/** The token of `file`: its content without the line end; refused when shorter than 16 characters. */
export async function readToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SiteError('FILE_UNREADABLE', `--token-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { file, cause: e });
  }
  const token = text.replace(/\r?\n$/, '');
  // The content is never quoted in a message: a wrong file may still hold a secret.
  if (token.length < 16 || /\s/.test(token)) throw new SiteError('BAD_TOKEN', `--token-file ${file}: expected one line of at least 16 characters without spaces (e.g. openssl rand -hex 16)`, { file, field: 'token-file' });
  return token;
}

const SERVE = {
  db: { required: true },
  config: { help: 'the site configuration JSON: the site the page shows', required: true },
  'serve-port': { required: true },
  host: { help: 'the address to listen on; anything but 127.0.0.1 or ::1 makes the page reachable from the network', default: '127.0.0.1' },
  'token-file': { required: true },
  outboxes: { help: "ingest a gate's outbox directory, or a directory of them, in this process (followed, as site ingest --outbox); repeat it for several" },
  nats: { help: "ingest the gates' events from this NATS server in this process (the durable consumer of site ingest --nats)" },
  'prune-daily': {},
} as const;

/** The ingest's progress line, only when something changed since the last one: an idle page stays quiet. */
function changedProgress(print: (line: string) => void): (p: IngestProgress) => void {
  let last = '';
  return (p) => {
    const key = `${p.messages}/${p.failures}`;
    if (key === last) return;
    last = key;
    print(`hmskort site serve: ${formatProgress(p)}\n`);
  };
}

async function serve(values: Values<typeof SERVE>, _p: string[], ctx: CliContext): Promise<number> {
  const outboxes = (values.outboxes ?? []).map((d) => resolve(ctx.cwd, d));
  if (values.nats !== undefined && outboxes.length > 0) throw new UsageError('site serve: give at most one of --nats URL and --outbox DIR');
  const token = await readToken(resolve(ctx.cwd, values['token-file']));
  const cfg = await loadSiteConfig(resolve(ctx.cwd, values.config));
  if (outboxes.length > 0) await findOutboxes(outboxes); // an unreadable --outbox fails before the database starts, as in site ingest
  const log = (e: Error) => ctx.stderr(`hmskort site serve: ${redact(e.message)}\n`);
  const db = await openSiteStore(values.db, 'serve', { cwd: ctx.cwd, onIdleError: log });
  try {
    const s = await startSiteServer({ db, cfg, token, host: values.host, port: values['serve-port'], onError: log });
    const where = storeName(db, values.db);
    const source: IngestSource | undefined = values.nats !== undefined ? { nats: values.nats } : outboxes.length > 0 ? { outboxes } : undefined;
    const ingesting = source
      ? keepIngesting({
          source,
          db,
          signal: ctx.signal,
          onProgress: changedProgress(ctx.stderr),
          onError: log,
          onStopped: (e, ms) => ctx.stderr(`hmskort site serve: ingest stopped (${redact(e.message)}); the page stays up, ingest starts again in ${ms / 1000} s\n`),
        })
      : Promise.resolve();
    const pruning = values['prune-daily']
      ? keepPruning({
          db,
          cfg,
          signal: ctx.signal,
          onResult: (r) => ctx.stderr(`hmskort site serve: prune: ${pruneText(r)}${r.listKeptUntil === undefined ? `; ${noEndText(values.config)}` : ''}\n`),
          onError: (e, ms) => ctx.stderr(`hmskort site serve: prune failed (${redact(e.message)}); the page stays up, next try in ${ms / 60_000} min\n`),
        })
      : Promise.resolve();
    const from = source ? `; ingesting ${redact(values.nats ?? outboxes.join(', '))}` : '';
    const prunes = values['prune-daily'] ? '; pruning daily' : '';
    ctx.stdout(`hmskort site serve: ${s.url} (site ${cfg.siteId}, ${where}${from}${prunes}); open it once with ?token=<the token file's content>; Ctrl-C stops\n`);
    await untilAborted(ctx.signal);
    // The ingest stops after the batch in hand (committed, cursor written), and a prune in hand
    // ends, before the store closes.
    await Promise.all([ingesting, pruning, s.close()]);
  } finally {
    await db.close();
  }
  return EXIT.OK;
}

export const serveDescription = `serve: a read-only web page for the site office: today's list (Oslo day; ?date=YYYY-MM-DD
for another), sortable and searchable, with a CSV download identical to site list --csv; the
gates with their hot-list revision, its age and their last tap; the latest decisions as they
arrive (server-sent events, the events table polled every second). With --outbox DIR (repeatable)
or --nats URL it also ingests into --db in this process, as site ingest does (one process for a
PGlite directory: the one-machine site office); an ingest error is logged and retried, never ends
the page, and Ctrl-C stops the ingest after its batch in hand. With --prune-daily it applies the
retention of site prune at start and every 24 h (a PGlite directory the page holds cannot be
pruned by another process); each prune is one stderr line. Listens on --host (default
127.0.0.1) and --port. Every request needs the token of --token-file: Authorization: Bearer
TOKEN, or open http://HOST:PORT/?token=TOKEN once (an HttpOnly, SameSite=Strict cookie keeps it).
Exit status (serve): 0 stopped by Ctrl-C; 2 usage (both --nats and --outbox); 3 a bad config or
token file; 4 a file unreadable, the database unreachable, the port taken, or the PGlite directory
held by another process (site ingest: stop it, use site serve --outbox).`;

export const siteServeCommands = { serve: declare({ options: SERVE, run: serve }) };
