/**
 * `hmskort site ingest --nats URL --db postgres://...|DIR [--count N]`: a site's event store
 * (issue 17 part 5). The durable JetStream consumer of the gates' events: each batch is stored in
 * one transaction and acknowledged after COMMIT (src/fleet/store/ingestBatch.ts), with a progress
 * line. Issue 18 adds the site's other sub-commands to this group.
 */
import { EXIT, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { openEventStore } from '../../fleet/store/open.js';
import { runIngest } from '../../fleet/store/ingest.js';
import { formatProgress } from '../../fleet/store/progress.js';
import { redact } from '../../fleet/store/pgDb.js';
import { listDescription, siteListCommands } from './siteList.js';
import { exportDescription, siteExportCommands } from './siteExport.js';
import { serveDescription, siteServeCommands } from './siteServe.js';

const description = `ingest: follows the gates' event stream (EVENTS, subjects ev.<site>.<gate>) with the durable
consumer "ingest" and stores every presence event once in the event store: a PostgreSQL server
(--db postgres://USER@HOST:PORT/DB) or a PGlite directory (--db DIR, one process at a time). Each
batch is committed before it is acknowledged, so a consumer killed at any point loses nothing and
stores nothing twice. A malformed event is recorded in the table ingest_errors, counted and
terminated (never redelivered). A progress line goes to stderr every second; Ctrl-C stops after
the batch in hand. Creates the stream and the consumer when they do not exist.
Exit status: 0 stopped; 2 usage; 3 --db names no usable store; 4 NATS or the database unreachable.
${listDescription}
${exportDescription}
${serveDescription}`;

const INGEST = { nats: { required: true }, db: { required: true }, count: { help: 'stop after N events (stored, duplicate or malformed)' } } as const;

async function ingest(values: Values<typeof INGEST>, _positionals: string[], ctx: CliContext): Promise<number> {
  const db = await openEventStore(values.db, { cwd: ctx.cwd, onIdleError: (e) => ctx.stderr(`hmskort site ingest: database connection lost (${e.message}); reconnecting\n`) });
  const where = db.driver === 'postgres' ? redact(values.db) : `PGlite ${values.db}`;
  ctx.stderr(`hmskort site ingest: ${values.nats} -> ${where}\n`);
  try {
    const last = await runIngest({
      servers: values.nats,
      db,
      signal: ctx.signal,
      stopAfter: values.count,
      onProgress: (p) => ctx.stderr(`${formatProgress(p)}\n`),
      onError: (e) => ctx.stderr(`hmskort site ingest: batch not stored, retrying: ${e.message}\n`),
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
  },
});
