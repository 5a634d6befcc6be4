/**
 * `hmskort site ingest --nats URL | --outbox DIR... --db postgres://...|DIR [--count N]`: a site's
 * event store (issue 17 parts 2 and 5). With --nats, the durable JetStream consumer of the gates'
 * events: each batch is stored in one transaction and acknowledged after COMMIT
 * (src/fleet/store/ingestBatch.ts). With --outbox, the gates' outbox directories on this machine,
 * no server (src/fleet/store/outboxIngest.ts): the cursor moves after COMMIT. A progress line either
 * way. Issue 18 adds the site's other sub-commands to this group.
 */
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { ingestFrom } from '../../fleet/store/ingestFrom.js';
import { findOutboxes } from '../../fleet/store/outboxIngest.js';
import { formatProgress, type IngestProgress } from '../../fleet/store/progress.js';
import { resolve } from 'node:path';
import { redact } from '../../fleet/redact.js';
import { listDescription, siteListCommands } from './siteList.js';
import { exportDescription, siteExportCommands } from './siteExport.js';
import { serveDescription, siteServeCommands } from './siteServe.js';
import { siteWorkersCommands, workersDescription } from './siteWorkers.js';
import { openSiteStore, storeName } from './siteStore.js';

const description = `ingest: follows the gates' event stream (EVENTS, subjects ev.<site>.<gate>) with the durable
consumer "ingest" and stores every presence event once in the event store: a PostgreSQL server
(--db postgres://USER@HOST:PORT/DB) or a PGlite directory (--db DIR, one process at a time: to
show the site page while ingesting into it, run site serve --outbox/--nats instead). Each
batch is committed before it is acknowledged, so a consumer killed at any point loses nothing and
stores nothing twice. A malformed event is recorded in the table ingest_errors, counted and
terminated (never redelivered). A progress line goes to stderr every second; Ctrl-C stops after
the batch in hand. Creates the stream and the consumer when they do not exist.
With --outbox DIR instead of --nats (one machine, no server): delivers the outbox directories of
gates run with --outbox and without --events (DIR is one outbox, or a directory of SITE.GATE
outboxes; repeat it for several), moving each outbox's cursor after COMMIT; the gate keeps
appending meanwhile. One deliverer per outbox: never a gate with --events on the same directory.
--drain (with --outbox): deliver what the outboxes hold when it starts, then exit (cron).
Exit status: 0 stopped (with --drain: all delivered); 2 usage (neither or both of --nats and
--outbox); 3 --db names no usable store; 4 NATS or the database unreachable, or --drain not done
in 10 minutes.
${listDescription}
${exportDescription}
${serveDescription}
${workersDescription}`;

const INGEST = { nats: {}, outboxes: {}, drain: {}, db: { required: true }, count: { help: 'stop after N events (stored, duplicate or malformed)' } } as const;

async function ingest(values: Values<typeof INGEST>, _positionals: string[], ctx: CliContext): Promise<number> {
  const outboxes = values.outboxes ?? [];
  if ((values.nats === undefined) === (outboxes.length === 0)) throw new UsageError('site ingest: give exactly one of --nats URL and --outbox DIR');
  if (outboxes.length > 0 && values.count !== undefined) throw new UsageError('site ingest: --count goes with --nats only');
  if (values.drain && outboxes.length === 0) throw new UsageError('site ingest: --drain goes with --outbox only (with --nats: --count N)');
  const dirs = outboxes.map((d) => resolve(ctx.cwd, d));
  if (dirs.length > 0) await findOutboxes(dirs); // an unreadable --outbox fails before the database starts
  const db = await openSiteStore(values.db, 'ingest', { cwd: ctx.cwd, onIdleError: (e) => ctx.stderr(`hmskort site ingest: database connection lost (${e.message}); reconnecting\n`) });
  const where = storeName(db, values.db);
  ctx.stderr(`hmskort site ingest: ${redact(values.nats ?? dirs.join(', '))} -> ${where}\n`);
  const source = values.nats === undefined ? { outboxes: dirs, drain: values.drain === true } : { nats: values.nats };
  // The NATS consumer retries a failed batch; the outboxes' loop reports what it passes or retries.
  const prefix = values.nats === undefined ? 'hmskort site ingest: ' : 'hmskort site ingest: batch not stored, retrying: ';
  try {
    const last = await ingestFrom({
      source,
      db,
      signal: ctx.signal,
      stopAfter: values.count,
      onProgress: (p: IngestProgress) => ctx.stderr(`${formatProgress(p)}\n`),
      onError: (e: Error) => ctx.stderr(`${prefix}${e.message}\n`),
    });
    ctx.stdout(`${formatProgress(last)}\n`);
  } finally {
    await db.close();
  }
  return EXIT.OK;
}

export const command = defineGroup({
  name: 'site',
  summary: "a site's event store: ingest the gates' events from NATS, the daily list, retention, HMSREG export, the site page",
  description,
  subcommands: {
    ingest: declare({ options: INGEST, run: ingest }),
    ...siteListCommands,
    ...siteExportCommands,
    ...siteServeCommands,
    ...siteWorkersCommands,
  },
});
