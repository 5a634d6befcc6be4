/**
 * ingestBatch on PGlite: the order store -> COMMIT -> acknowledge, malformed messages recorded and
 * terminated, and a failed transaction acknowledging nothing. The messages here are plain objects
 * with JsMsg's fields; the real JetStream consumer is in test/integration/fleet/store/.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { ingestBatch, type StreamMessage } from '../../../../src/fleet/store/ingestBatch.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { eventBytes, presenceEvent } from '../../../helpers/presenceEvents.js';

let db: SqlDb;
beforeAll(async () => {
  db = await openEventStore('memory://');
}, 120_000);
afterAll(() => db?.close());
beforeEach(async () => {
  for (const t of ['events', 'gates', 'ingest_errors']) await db.query(`DELETE FROM ${t}`);
});

interface Msg extends StreamMessage {
  outcome?: string;
}
let streamSeq = 0;
function msg(body: unknown, subject?: string): Msg {
  const e = body as { site?: string; gateId?: string };
  const m: Msg = {
    subject: subject ?? `ev.${e.site}.${e.gateId}`,
    data: body instanceof Uint8Array ? body : eventBytes(body),
    seq: ++streamSeq,
    ack: () => (m.outcome = m.outcome ?? 'ack'),
    term: () => (m.outcome = m.outcome ?? 'term'),
  };
  return m;
}
const count = async (t: string): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;

describe('ingestBatch', () => {
  it('stores, then acknowledges; malformed messages are recorded, counted and terminated', async () => {
    const msgs = [
      msg(presenceEvent('g1', 1)),
      msg(new TextEncoder().encode('{"gateId": "g1", ')),
      msg(presenceEvent('g1', 2)),
      msg({ ...presenceEvent('g1', 3), seq: 0 }),
      msg(presenceEvent('g2', 1), 'ev.site1.g9'), // the subject names another gate
      msg(presenceEvent('g1', 2)), // redelivered in the same batch
    ];
    const r = await ingestBatch(db, msgs);
    expect(r).toEqual({ messages: 6, inserted: 2, duplicates: 1, errors: 3 });
    expect(msgs.map((m) => m.outcome)).toEqual(['ack', 'term', 'ack', 'term', 'term', 'ack']);
    expect(await count('events')).toBe(2);
    const { rows } = await db.query<{ stream_seq: number; code: string; error: string; subject: string }>('SELECT stream_seq, code, error, subject FROM ingest_errors ORDER BY stream_seq');
    expect(rows.map((e) => [e.stream_seq, e.code])).toEqual([msgs[1], msgs[3], msgs[4]].map((m) => [m.seq, 'MALFORMED_EVENT']));
    expect(rows[1].error).toMatch(/seq/);
    expect(rows[2].error).toMatch(/subject ev\.site1\.g9/);
  });

  it('acknowledges nothing before COMMIT, and nothing at all when the transaction fails', async () => {
    const msgs = [msg(presenceEvent('g1', 1)), msg(presenceEvent('g1', 2))];
    let seenBeforeCommit: (string | undefined)[] = [];
    await expect(
      ingestBatch(db, msgs, {
        beforeCommit: () => {
          seenBeforeCommit = msgs.map((m) => m.outcome);
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(seenBeforeCommit).toEqual([undefined, undefined]);
    expect(msgs.map((m) => m.outcome)).toEqual([undefined, undefined]);
    expect(await count('events')).toBe(0);
    // Redelivered: now stored, and acknowledged only after the commit.
    let atCommit: (string | undefined)[] = [];
    let storedAtCommit = 0;
    const again = [msg(presenceEvent('g1', 1)), msg(presenceEvent('g1', 2))];
    await ingestBatch(db, again, {
      afterCommit: async () => {
        atCommit = again.map((m) => m.outcome);
        storedAtCommit = await count('events');
      },
    });
    expect(atCommit).toEqual([undefined, undefined]);
    expect(storedAtCommit).toBe(2);
    expect(again.map((m) => m.outcome)).toEqual(['ack', 'ack']);
  });

  it('an event the database refuses fails alone, not its batch', async () => {
    // eventShape.ts lets through only what the columns take; a constraint added here stands for a
    // refusal it did not foresee (SQLSTATE 23514, check_violation).
    await db.query('ALTER TABLE events ADD CONSTRAINT test_refuses_seq_2 CHECK (seq <> 2)');
    try {
      const msgs = [msg(presenceEvent('g1', 1)), msg(presenceEvent('g1', 2)), msg(presenceEvent('g1', 3))];
      const r = await ingestBatch(db, msgs);
      expect(r).toEqual({ messages: 3, inserted: 2, duplicates: 0, errors: 1 });
      expect(msgs.map((m) => m.outcome)).toEqual(['ack', 'term', 'ack']);
      expect(await count('events')).toBe(2);
      const { rows } = await db.query<{ stream_seq: number; error: string }>('SELECT stream_seq, error FROM ingest_errors');
      expect(rows).toHaveLength(1);
      expect(rows[0].stream_seq).toBe(msgs[1].seq);
      expect(rows[0].error).toMatch(/refused by the database.*test_refuses_seq_2/);
    } finally {
      await db.query('ALTER TABLE events DROP CONSTRAINT test_refuses_seq_2');
    }
  });
});
