/**
 * Issue 17 part 2, "one machine, no server": a real Gate following a hot-list feed, its decisions
 * recorded in the EventOutbox (src/fleet/outbox.ts) and delivered straight into a PGlite directory
 * through SqlEventSink. The expected rows are the gate's own decision events, collected from the
 * gate beside the outbox; the store must hold each once, with the outbox's seqs 1..n, the revision
 * the gate decided with, and the gate's row in `gates`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gate, type GateDecisionEvent } from '../../../../src/gate/gate.js';
import { HotlistFollower } from '../../../../src/fleet/follower.js';
import { MemoryHotlistFeed } from '../../../../src/fleet/memoryFeed.js';
import { EventOutbox } from '../../../../src/fleet/outbox.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { READ_MASTER } from '../../../helpers/gateCards.js';
import { cardOf } from '../../../helpers/fleet.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hmsonemachine-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('one machine: gate -> outbox -> PGlite', () => {
  it('every decision is stored once, in the gate\'s order, with the revision it was decided with', async () => {
    const sink = await SqlEventSink.open(join(dir, 'site.pg'));
    const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '3', status: 'lost', expiry: '2099-12-31' }] });
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) });
    const follower = new HotlistFollower({ feed, gate }).start();
    const decisions: GateDecisionEvent[] = [];
    gate.on('decision', (d) => decisions.push(d));
    try {
      await follower.ready(10_000);
      const box = await EventOutbox.open({ dir: join(dir, 'outbox'), gateId: 'gate-1', site: 'oslo-1', sink, batchSize: 8, sync: false });
      box.attach(gate);
      for (let i = 1; i <= 20; i++) await gate.tap(cardOf(i));
      await box.drained(20_000);
      await box.close();

      const { rows } = await sink.db.query<{ seq: number; allow: boolean; reason: string; card_number: string | null; uid: string; at: Date; hotlist_rev: number }>(
        'SELECT seq, allow, reason, card_number, uid, at, hotlist_rev FROM events WHERE gate_id = $1 ORDER BY seq',
        ['gate-1'],
      );
      expect(rows.map((r) => r.seq)).toEqual(decisions.map((_, i) => i + 1));
      expect(rows.map((r) => [r.allow, r.reason, r.card_number, r.uid, r.at.toISOString(), r.hotlist_rev])).toEqual(
        decisions.map((d) => [d.allow, d.reason, d.cardNumber ?? null, d.uid, new Date(d.at).toISOString(), follower.revision]),
      );
      expect(rows.some((r) => r.reason === 'hotlisted')).toBe(true);
      const gates = await sink.db.query<{ last_seq: number; site_id: string }>('SELECT last_seq, site_id FROM gates');
      expect(gates.rows).toEqual([{ last_seq: 20, site_id: 'oslo-1' }]);
      expect(sink.stats).toEqual({ stored: 20, duplicates: 0 });
    } finally {
      follower.stop();
      await sink.close();
    }
  }, 120_000);
});
