/**
 * A consumer process killed on purpose (test/integration/fleet/store/ingest-kill.test.ts):
 * `node --import tsx test/helpers/ingestKillChild.ts NATS_URL DB beforeCommit|afterCommit ACK_WAIT_MS BATCH`
 * runs the real ingest consumer and sends itself SIGKILL at the named point of its first batch:
 * inside the transaction after the insert, or after COMMIT before any acknowledgement.
 */
import { openEventStore } from '../../src/fleet/store/open.js';
import { runIngest } from '../../src/fleet/store/ingest.js';

const [servers, target, point, ackWait, batch] = process.argv.slice(2);
const die = () => {
  process.stdout.write(`killing at ${point}\n`);
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL is not delivered synchronously: never return into the code after the hook.
  return new Promise<void>(() => undefined);
};
const db = await openEventStore(target);
await runIngest({
  servers,
  db,
  signal: AbortSignal.timeout(30_000),
  batch: Number(batch),
  ackWaitMs: Number(ackWait),
  hooks: point === 'beforeCommit' ? { beforeCommit: die } : { afterCommit: die },
});
process.stdout.write('not killed\n');
process.exitCode = 3;
