/**
 * The ingest consumer against a real nats-server (JetStream) and a real PostgreSQL 15 server
 * started by the test (test/helpers/postgres.ts), and against PGlite in a temp directory: the
 * same events delivered twice are stored once, malformed events are counted, recorded and
 * terminated (never redelivered), and the consumer's position survives its restart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../../helpers/natsServer.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../../helpers/postgres.js';
import { consumerBacklog, freshEventsStream, natsConnect, publishEvents, publishRaw } from '../../../helpers/eventStream.js';
import { presenceEvent, presenceEvents } from '../../../helpers/presenceEvents.js';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runIngest } from '../../../../src/fleet/store/ingest.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';

const missing = natsServerMissing() ?? postgresMissing();
let nats: NatsServerHandle;
let pg: PostgresHandle;
let nc: NatsConnection;
let tmp: string;
let dbCount = 0;

beforeAll(async () => {
  if (missing) return;
  [nats, pg] = await Promise.all([startNatsServer({ name: 'hmsingest' }), startPostgres()]);
  nc = await natsConnect(nats.url);
  tmp = await mkdtemp(join(tmpdir(), 'hmsingest-pglite-'));
}, 90_000);
afterAll(async () => {
  await nc?.close();
  await Promise.all([nats?.stop(), pg?.stop(), tmp && rm(tmp, { recursive: true, force: true })]);
});
beforeEach(async () => {
  if (!missing) await freshEventsStream(nc);
});

const stores: [string, () => Promise<string>][] = [
  ['PostgreSQL', () => pg.createDatabase(`ingest_${++dbCount}`)],
  ['PGlite', async () => join(tmp, `site${++dbCount}.pg`)],
];

async function count(db: SqlDb, sql: string): Promise<number> {
  return (await db.query<{ n: number }>(sql)).rows[0].n;
}

describe.skipIf(missing)('site ingest: JetStream -> SQL', () => {
  it.each(stores)('%s: events delivered twice are stored once; malformed ones are counted and terminated', async (_name, target) => {
    const db = await openEventStore(await target());
    try {
      const events = presenceEvents(['g1', 'g2', 'g3', 'g4'], 50);
      await publishEvents(nc, events);
      // A gate offline longer than the stream's dedupe window re-sends: new stream messages, same keys.
      await publishEvents(nc, events.slice(0, 50), ':resent');
      await publishRaw(nc, 'ev.site1.g1', '{"not": "an event"');
      await publishRaw(nc, 'ev.site1.g1', JSON.stringify({ ...presenceEvent('g1', 51), seq: 'fifty-one' }));
      await publishRaw(nc, 'ev.site1.g2', JSON.stringify(presenceEvent('g1', 52))); // subject names another gate
      const progress: string[] = [];
      const totals = await runIngest({ servers: nats.url, db, signal: AbortSignal.timeout(25_000), batch: 64, stopAfter: 253, progressMs: 200, onProgress: (p) => progress.push(`${p.messages}`) });
      expect(totals).toMatchObject({ messages: 253, inserted: 200, duplicates: 50, errors: 3, failures: 0 });
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(200);
      expect(await count(db, 'SELECT count(DISTINCT (gate_id, seq))::int AS n FROM events')).toBe(200);
      expect(await count(db, 'SELECT count(*)::int AS n FROM ingest_errors')).toBe(3);
      expect((await db.query<{ gate_id: string; last_seq: number }>('SELECT gate_id, last_seq FROM gates ORDER BY gate_id')).rows).toEqual(['g1', 'g2', 'g3', 'g4'].map((g) => ({ gate_id: g, last_seq: 50 })));
      expect(await consumerBacklog(nc)).toMatchObject({ ackPending: 0, pending: 0 });
      // Terminated, not redelivered: a second run over the same consumer gets nothing.
      const idle = await runIngest({ servers: nats.url, db, signal: AbortSignal.timeout(2500), batch: 64 });
      expect(idle.messages).toBe(0);
      expect(progress.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  }, 90_000);

  it('a restarted consumer goes on where it stopped: each event stored once across runs', async () => {
    const db = await openEventStore(await pg.createDatabase(`ingest_${++dbCount}`));
    try {
      await publishEvents(nc, presenceEvents(['g1'], 30));
      const first = await runIngest({ servers: nats.url, db, signal: AbortSignal.timeout(20_000), batch: 10, stopAfter: 30 });
      expect(first).toMatchObject({ messages: 30, inserted: 30 });
      await publishEvents(nc, presenceEvents(['g1'], 60).slice(30));
      const second = await runIngest({ servers: nats.url, db, signal: AbortSignal.timeout(20_000), batch: 10, stopAfter: 30 });
      expect(second).toMatchObject({ messages: 30, inserted: 30, duplicates: 0 });
      expect(await count(db, 'SELECT count(*)::int AS n FROM events')).toBe(60);
    } finally {
      await db.close();
    }
  });

  it('refuses a NATS URL nothing listens on with NATS_UNAVAILABLE (no hang)', async () => {
    const db = await openEventStore(await pg.createDatabase(`ingest_${++dbCount}`));
    try {
      await expect(runIngest({ servers: 'nats://127.0.0.1:1', db, signal: AbortSignal.timeout(10_000), connectTimeoutMs: 2000 })).rejects.toMatchObject({ code: 'NATS_UNAVAILABLE', kind: 'device' });
    } finally {
      await db.close();
    }
  });
});
