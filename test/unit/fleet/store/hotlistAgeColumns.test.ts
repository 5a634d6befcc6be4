/**
 * PresenceEvent.hotlistAgeMs in the store (issue 18 part 5; store migration 5): checked before any
 * SQL (a count of ms or absent: anything else is MALFORMED_EVENT on that field, never a failed
 * batch), stored in events.hotlist_age_ms, and the gate's row takes its latest event's value, NULL
 * included (a gate that stops following a feed shows no age, not its last one). A redelivered older
 * event changes nothing. Events without the field (gates before issue 18 part 5) store NULL and read
 * back without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { eventRow, presenceEventOf, type EventRow } from '../../../../src/fleet/store/eventShape.js';
import { StoreError } from '../../../../src/fleet/store/errors.js';
import { MemoryEventSink } from '../../../../src/fleet/memorySink.js';
import { FleetError } from '../../../../src/fleet/errors.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';

let db: SqlDb;
beforeAll(async () => {
  db = await openEventStore('memory://');
}, 120_000);
afterAll(() => db?.close());

const gateAge = async (gateId: string): Promise<number | null> => {
  const { rows } = await db.query<{ a: number | string | null }>("SELECT hotlist_age_ms AS a FROM gates WHERE site_id = 'site1' AND gate_id = $1", [gateId]);
  return rows[0].a === null ? null : Number(rows[0].a);
};

describe('hotlist_age_ms on events and gates', () => {
  it('stored per event; the gate row follows its latest event, NULL included; a redelivery changes nothing', async () => {
    const sink = new SqlEventSink(db);
    await sink.append([presenceEvent('g1', 1, 'site1', { hotlistAgeMs: 100 }), presenceEvent('g1', 2, 'site1', { hotlistAgeMs: 2_000 })]);
    expect(await gateAge('g1')).toBe(2_000);
    await sink.append([presenceEvent('g1', 3, 'site1', { hotlistAgeMs: 7 })]);
    expect(await gateAge('g1')).toBe(7);
    await sink.append([presenceEvent('g1', 4)]);
    expect(await gateAge('g1')).toBeNull();
    await sink.append([presenceEvent('g1', 2, 'site1', { hotlistAgeMs: 2_000 })]);
    expect(await gateAge('g1')).toBeNull();
    const { rows } = await db.query<EventRow>("SELECT * FROM events WHERE gate_id = 'g1' ORDER BY seq");
    expect(rows.map((r) => presenceEventOf(r).hotlistAgeMs)).toEqual([100, 2_000, 7, undefined]);
    expect('hotlistAgeMs' in presenceEventOf(rows[3])).toBe(false);
  });

  it('the largest safe count of ms goes through bigint and back', async () => {
    await new SqlEventSink(db).append([presenceEvent('g2', 1, 'site1', { hotlistAgeMs: Number.MAX_SAFE_INTEGER })]);
    expect(await gateAge('g2')).toBe(Number.MAX_SAFE_INTEGER);
  });

  const bad: [string, unknown][] = [
    ['negative', -1],
    ['a fraction', 1.5],
    ['a string', '5000'],
    ['past 2^53', 2 ** 53],
    ['Infinity', Infinity],
    ['a boolean', true],
  ];
  for (const [what, v] of bad) {
    it(`refused, as MALFORMED_EVENT at hotlistAgeMs, by the store and the memory sink: ${what}`, async () => {
      const e = { ...presenceEvent('g3', 1), hotlistAgeMs: v } as never;
      let err: unknown;
      try {
        eventRow(e);
      } catch (x) {
        err = x;
      }
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'MALFORMED_EVENT', field: 'hotlistAgeMs' });
      await expect(new MemoryEventSink().append([e])).rejects.toSatisfy((x: unknown) => x instanceof FleetError && x.code === 'EVENT_MALFORMED');
    });
  }

  it('null is taken as absent (JSON of a gate that had no age), by the store and the memory sink alike', async () => {
    expect(eventRow({ ...presenceEvent('g3', 1), hotlistAgeMs: null }).hotlist_age_ms).toBeNull();
    await expect(new MemoryEventSink().append([{ ...presenceEvent('g3', 1), hotlistAgeMs: null } as never])).resolves.toBeUndefined();
    expect(eventRow(presenceEvent('g3', 1, 'site1', { hotlistAgeMs: 0 })).hotlist_age_ms).toBe(0);
  });
});
