/**
 * Gate.tap reuses its per-tap state (a pool of TapRuns, one Float64Array of timestamps: issue 14
 * item 4). Taps in flight together, a tap begun from inside a decision listener, and a mix of
 * `on` and `once` listeners must each still get their own card's decision. Expected values: the
 * spec's example gate block (card 123456) and the UIDs the test gives the cards.
 */
import { describe, expect, it } from 'vitest';
import { Gate, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { hmskCard, READ_MASTER, uidOf } from '../../helpers/gateCards.js';

const SPEC_GATE_BLOCK = '4811000001e2403a19aae128a800ff8d'; // card 123456, valid to 2028-06-30
const hex = (n: number) => Buffer.from(uidOf(n)).toString('hex');
const newGate = () => new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) });

describe('Gate.tap with pooled per-tap state', () => {
  it('taps in flight together each decide their own card', async () => {
    const gate = newGate();
    await Promise.all([9, 10, 11].map((n) => gate.tap(hmskCard(uidOf(n), SPEC_GATE_BLOCK)))); // the pool now holds runs
    const seen: string[] = [];
    gate.on('decision', (e) => seen.push(e.uid));
    const cards = [1, 2, 3, 4, 5].map((n) => hmskCard(uidOf(n), SPEC_GATE_BLOCK));
    cards[2].pullAfter(0); // one of them leaves before its authentication
    const events = await Promise.all(cards.map((c) => gate.tap(c)));
    expect(events.map((e) => e.uid)).toEqual([1, 2, 3, 4, 5].map(hex));
    expect(events.map((e) => e.allow)).toEqual([true, true, false, true, true]);
    expect(events[2]).toMatchObject({ reason: 'invalid', error: 'CARD_REMOVED' });
    expect(events[0]).toMatchObject({ cardNumber: '123456', expiry: '2028-06-30' });
    expect(new Set(events).size).toBe(5); // five event objects, none reused
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5].map(hex));
    for (const e of events) expect(e.timings.totalUs).toBeGreaterThanOrEqual(e.timings.readUs);
    await gate.idle();
  });

  it('a tap begun inside a listener, and once/on listeners together', async () => {
    const gate = newGate();
    const nested: Promise<GateDecisionEvent>[] = [];
    const onceGot: string[] = [];
    gate.once('decision', (e) => onceGot.push(e.uid));
    gate.on('decision', (e) => {
      if (e.uid === hex(7)) nested.push(gate.tap(hmskCard(uidOf(8), SPEC_GATE_BLOCK)));
    });
    const first = await gate.tap(hmskCard(uidOf(7), SPEC_GATE_BLOCK));
    const second = await nested[0];
    expect([first.uid, second.uid]).toEqual([hex(7), hex(8)]);
    expect(onceGot).toEqual([hex(7)]); // once: the first decision only
    expect(gate.listenerCount('decision')).toBe(1);
    expect(gate.stats).toMatchObject({ taps: 2, allowed: 2 });
  });
});
