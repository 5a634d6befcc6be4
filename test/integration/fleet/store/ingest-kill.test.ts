/**
 * Issue 17 part 6: "the consumer killed between the insert and the acknowledgement (no event
 * lost, none duplicated)". A real consumer process (test/helpers/ingestKillChild.ts) sends itself
 * SIGKILL at the two points that matter, inside the transaction after the insert and after COMMIT
 * before the acknowledgements; a new consumer then takes over the durable consumer. The server
 * redelivers what was never acknowledged after ack_wait (2 s here), and every event ends up stored
 * exactly once, in PostgreSQL and in PGlite.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fleetServersMissing, useFleetServers } from '../../../helpers/fleetServers.js';
import { consumerBacklog, publishEvents } from '../../../helpers/eventStream.js';
import { presenceEvents } from '../../../helpers/presenceEvents.js';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runIngest } from '../../../../src/fleet/store/ingest.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const missing = fleetServersMissing();
const servers = useFleetServers('hmskill', !missing);
const ACK_WAIT_MS = 2000;
const BATCH = 40;
const EVENTS = 100;
let n = 0;

/** Runs the consumer child until it kills itself; resolves with its stdout once it died of SIGKILL. */
function killedConsumer(target: string, point: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/helpers/ingestKillChild.ts'), servers.nats.url, target, point, String(ACK_WAIT_MS), String(BATCH)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the consumer child did not kill itself within 60 s:\n${out}`));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && out.includes(`killing at ${point}`)) resolvePromise(out);
      else reject(new Error(`the consumer child exited ${code ?? signal}, not killed at ${point}:\n${out}`));
    });
  });
}

async function count(db: SqlDb, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0].n;
}

const cases: [string, string, number][] = [
  // [store, kill point, events stored when the child died]
  ['PostgreSQL', 'beforeCommit', 0],
  ['PostgreSQL', 'afterCommit', BATCH],
  ['PGlite', 'afterCommit', BATCH],
];

describe.skipIf(missing)('the ingest consumer killed between insert and acknowledgement', () => {
  it.each(cases)('%s, killed %s: after a restart every event is stored once', async (store, point, storedAtKill) => {
    const target = store === 'PostgreSQL' ? await servers.pg.createDatabase(`kill_${++n}`) : join(servers.tmp, `site${++n}.pg`);
    await publishEvents(servers.nc, presenceEvents(['g1', 'g2'], EVENTS / 2));
    await killedConsumer(target, point);
    const db = await openEventStore(target); // PGlite: the dead child's lock is stale and taken over
    try {
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(storedAtKill);
      // The server still holds the killed consumer's batch as delivered, not acknowledged.
      expect((await consumerBacklog(servers.nc)).ackPending).toBe(BATCH);
      const totals = await runIngest({ servers: servers.nats.url, db, signal: AbortSignal.timeout(30_000), batch: BATCH, stopAfter: EVENTS });
      // Every event came through once more than it was acknowledged: the committed batch as duplicates.
      expect(totals).toMatchObject({ messages: EVENTS, inserted: EVENTS - storedAtKill, duplicates: storedAtKill, errors: 0 });
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(EVENTS);
      expect(await count(db, 'SELECT count(DISTINCT (gate_id, seq))::int AS n FROM events')).toBe(EVENTS);
      expect(await consumerBacklog(servers.nc)).toMatchObject({ ackPending: 0, pending: 0 });
    } finally {
      await db.close();
    }
    // PGlite compiles its WebAssembly in each process (about 10 s on a busy 2-core machine).
  }, 120_000);
});
