/**
 * The ingest consumer against a real nats-server (JetStream) and a real PostgreSQL 15 server
 * started by the test (test/helpers/postgres.ts): the same events delivered twice are stored
 * once, malformed events are counted, recorded and terminated (never redelivered), and the
 * consumer's position survives its restart.
 */
import { describe, expect, it } from 'vitest';
import { fleetServersMissing, useFleetServers } from '../../../helpers/fleetServers.js';
import { consumerBacklog, publishEvents, publishRaw } from '../../../helpers/eventStream.js';
import { presenceEvent, presenceEvents } from '../../../helpers/presenceEvents.js';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runIngest } from '../../../../src/fleet/store/ingest.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';

const missing = fleetServersMissing();
const servers = useFleetServers('hmsingest', !missing);
let dbCount = 0;

// PGlite runs the same consumer in test/integration/cli/site-ingest-cli.test.ts and ingest-kill.test.ts,
// and the same SQL in test/unit/fleet/store/: one PGlite start fewer here (each costs seconds).
const stores: [string, () => Promise<string>][] = [['PostgreSQL', () => servers.pg.createDatabase(`ingest_${++dbCount}`)]];

async function count(db: SqlDb, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0].n;
}

describe.skipIf(missing)('site ingest: JetStream -> SQL', () => {
  it.each(stores)('%s: events delivered twice are stored once; malformed ones are counted and terminated', async (_name, target) => {
    const db = await openEventStore(await target());
    try {
      const events = presenceEvents(['g1', 'g2', 'g3', 'g4'], 50);
      await publishEvents(servers.nc, events);
      // A gate offline longer than the stream's dedupe window re-sends: new stream messages, same keys.
      await publishEvents(servers.nc, events.slice(0, 50), ':resent');
      await publishRaw(servers.nc, 'ev.site1.g1', '{"not": "an event"');
      await publishRaw(servers.nc, 'ev.site1.g1', JSON.stringify({ ...presenceEvent('g1', 51), seq: 'fifty-one' }));
      await publishRaw(servers.nc, 'ev.site1.g2', JSON.stringify(presenceEvent('g1', 52))); // subject names another gate
      const progress: string[] = [];
      const totals = await runIngest({ servers: servers.nats.url, db, signal: AbortSignal.timeout(25_000), batch: 64, stopAfter: 253, progressMs: 200, onProgress: (p) => progress.push(`${p.messages}`) });
      expect(totals).toMatchObject({ messages: 253, inserted: 200, duplicates: 50, errors: 3, failures: 0 });
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(200);
      expect(await count(db, 'SELECT count(DISTINCT (gate_id, seq))::int AS n FROM events')).toBe(200);
      expect(await count(db, 'SELECT count(*)::int AS n FROM ingest_errors')).toBe(3);
      expect((await db.query<{ gate_id: string; last_seq: number }>('SELECT gate_id, last_seq FROM gates ORDER BY gate_id')).rows).toEqual(['g1', 'g2', 'g3', 'g4'].map((g) => ({ gate_id: g, last_seq: 50 })));
      expect(await consumerBacklog(servers.nc)).toMatchObject({ ackPending: 0, pending: 0 });
      // Terminated, not redelivered: a second run over the same consumer gets nothing.
      const idle = await runIngest({ servers: servers.nats.url, db, signal: AbortSignal.timeout(2500), batch: 64 });
      expect(idle.messages).toBe(0);
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('a restarted consumer goes on where it stopped: each event stored once across runs', async () => {
    const db = await openEventStore(await servers.pg.createDatabase(`ingest_${++dbCount}`));
    try {
      await publishEvents(servers.nc, presenceEvents(['g1'], 30));
      const first = await runIngest({ servers: servers.nats.url, db, signal: AbortSignal.timeout(20_000), batch: 10, stopAfter: 30 });
      expect(first).toMatchObject({ messages: 30, inserted: 30 });
      await publishEvents(servers.nc, presenceEvents(['g1'], 60).slice(30));
      const second = await runIngest({ servers: servers.nats.url, db, signal: AbortSignal.timeout(20_000), batch: 10, stopAfter: 30 });
      expect(second).toMatchObject({ messages: 30, inserted: 30, duplicates: 0 });
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(60);
    } finally {
      await db.close();
    }
  });

  it('refuses a NATS URL nothing listens on with NATS_UNAVAILABLE (no hang)', async () => {
    const db = await openEventStore(await servers.pg.createDatabase(`ingest_${++dbCount}`));
    try {
      await expect(runIngest({ servers: 'nats://127.0.0.1:1', db, signal: AbortSignal.timeout(10_000), connectTimeoutMs: 2000 })).rejects.toMatchObject({ code: 'NATS_UNAVAILABLE', kind: 'device' });
    } finally {
      await db.close();
    }
  });
});
