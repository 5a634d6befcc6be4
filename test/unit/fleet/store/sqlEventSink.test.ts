/**
 * SqlEventSink on PGlite (in memory): the EventSink contract's idempotency on (gateId, seq), the
 * gates table, and the migrations. The same code runs on PostgreSQL in
 * test/integration/fleet/store/ingest.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../../src/fleet/store/schema.js';
import { presenceEventOf, type EventRow } from '../../../../src/fleet/store/eventShape.js';
import { StoreError } from '../../../../src/fleet/store/errors.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent, presenceEvents } from '../../../helpers/presenceEvents.js';

let db: SqlDb;
let sink: SqlEventSink;

beforeAll(async () => {
  db = await openEventStore('memory://');
  sink = new SqlEventSink(db);
}, 120_000);
afterAll(() => db?.close());
beforeEach(async () => {
  await db.query('DELETE FROM events');
  await db.query('DELETE FROM gates');
});

const count = async (sql: string): Promise<number> => (await db.query<{ n: number }>(sql)).rows[0].n;

describe('SqlEventSink (PGlite)', () => {
  it('stores the same events once, however often they are appended', async () => {
    const events = presenceEvents(['g1', 'g2'], 50);
    const first = await sink.store(events);
    expect(first).toMatchObject({ inserted: 100, duplicates: 0 });
    expect(first.isNew.every(Boolean)).toBe(true);
    // A retry of the whole outbox, and a retry overlapping new events.
    const again = await sink.store(events);
    expect(again).toMatchObject({ inserted: 0, duplicates: 100 });
    const overlap = await sink.store([...events.slice(90), presenceEvent('g2', 51)]);
    expect(overlap).toMatchObject({ inserted: 1, duplicates: 10 });
    expect(overlap.isNew).toEqual([...Array(10).fill(false), true]);
    expect(await count('SELECT count(*)::int AS n FROM events')).toBe(101);
    expect(await count('SELECT count(DISTINCT (gate_id, seq))::int AS n FROM events')).toBe(101);
  });

  it('a key twice in one batch is stored once, the first copy', async () => {
    const a = presenceEvent('g1', 1);
    const b = presenceEvent('g1', 1, 'site1', { hotlistRevision: 999 });
    const r = await sink.store([a, b]);
    expect(r).toMatchObject({ inserted: 1, duplicates: 1, isNew: [true, false] });
    expect((await db.query<{ hotlist_rev: number }>('SELECT hotlist_rev FROM events')).rows).toEqual([{ hotlist_rev: a.hotlistRevision }]);
  });

  it('reads back exactly the events appended', async () => {
    const events = [presenceEvent('g1', 1), presenceEvent('g1', 5), presenceEvent('g3', 7), presenceEvent('g3', 14, 'site2')];
    await sink.append(events);
    const { rows } = await db.query<EventRow & { at: Date }>('SELECT * FROM events ORDER BY gate_id, seq');
    // timestamptz comes back as a Date: the row's `at` is its ISO text.
    expect(rows.map((r) => presenceEventOf({ ...r, at: r.at.toISOString(), stream_seq: null }))).toEqual(events);
  });

  it('gates holds each gate\'s last event, also when older events arrive after newer ones', async () => {
    await sink.append([presenceEvent('g1', 10), presenceEvent('g1', 12), presenceEvent('g2', 3)]);
    await sink.append([presenceEvent('g1', 11), presenceEvent('g1', 12)]); // late and repeated: no regression
    const { rows } = await db.query<{ gate_id: string; last_seq: number; hotlist_rev: number; last_event_at: Date }>('SELECT gate_id, last_seq, hotlist_rev, last_event_at FROM gates ORDER BY gate_id');
    expect(rows.map((r) => [r.gate_id, r.last_seq, r.hotlist_rev, r.last_event_at.toISOString()])).toEqual([
      ['g1', 12, presenceEvent('g1', 12).hotlistRevision, presenceEvent('g1', 12).decision.at],
      ['g2', 3, presenceEvent('g2', 3).hotlistRevision, presenceEvent('g2', 3).decision.at],
    ]);
  });

  it('a malformed event rejects the whole append and stores nothing', async () => {
    const bad = { ...presenceEvent('g1', 2), seq: -2 };
    await expect(sink.append([presenceEvent('g1', 1), bad])).rejects.toMatchObject({ code: 'MALFORMED_EVENT', field: 'seq' });
    expect(await count('SELECT count(*)::int AS n FROM events')).toBe(0);
  });

  it('checks its arguments', async () => {
    await expect(sink.append('g1' as never)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const ac = new AbortController();
    ac.abort();
    await expect(sink.append([presenceEvent('g1', 1)], ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('migrations', () => {
  it('are recorded once and a second run changes nothing', async () => {
    expect(await migrate(db)).toBe(SCHEMA_VERSION);
    const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('a database migrated by a newer hmskort is refused, not touched', async () => {
    const err = await migrate(db, MIGRATIONS.slice(0, 0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: 'SCHEMA_TOO_NEW', kind: 'config' });
  });

  it('--db refuses a URL that is not PostgreSQL', async () => {
    await expect(openEventStore('mysql://x/y')).rejects.toMatchObject({ code: 'BAD_DB_TARGET' });
    await expect(openEventStore('  ')).rejects.toMatchObject({ code: 'BAD_DB_TARGET' });
  });
});
