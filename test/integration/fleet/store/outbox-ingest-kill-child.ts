/**
 * An outbox ingest killed on purpose (outbox-ingest.test.ts):
 * `node --import tsx outbox-ingest-kill-child.ts OUTBOXES PGLITE_DIR` delivers with batches of 8
 * and sends itself SIGKILL after the first COMMIT, before the outbox cursor is written: the worst
 * instant (the store holds 8 events the outbox still calls undelivered).
 */
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runOutboxIngest } from '../../../../src/fleet/store/outboxIngest.js';

const [outboxes, target] = process.argv.slice(2);
const db = await openEventStore(target);
await runOutboxIngest({
  dirs: [outboxes],
  db,
  batch: 8,
  signal: AbortSignal.timeout(60_000),
  hooks: {
    afterCommit: () => {
      process.kill(process.pid, 'SIGKILL');
      return new Promise<void>(() => undefined); // SIGKILL is not synchronous: never return into the cursor write
    },
  },
});
process.stdout.write('not killed\n');
process.exitCode = 3;
