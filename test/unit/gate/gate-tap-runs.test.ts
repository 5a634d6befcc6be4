/**
 * Gate.tap reuses its per-tap state (a pool of TapRuns, one Float64Array of timestamps, a UID
 * cache looked up by a hash of the bytes: issue 14 item 4). Taps in flight together, a tap begun
 * from inside a decision listener, a mix of `on` and `once` listeners, and two UIDs whose hashes
 * collide must each still get their own card's decision. Expected values: the spec's example gate
 * block (card 123456), the UIDs the test gives the cards, and FNV-1a computed here from its
 * definition (offset basis 2166136261, prime 16777619, draft-eastlake-fnv), not by the cache.
 */
import { describe, expect, it } from 'vitest';
import { Gate, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { hmskCard, READ_MASTER, uidOf } from '../../helpers/gateCards.js';
import { toHex } from '../../helpers/hex.js';

const SPEC_GATE_BLOCK = '4811000001e2403a19aae128a800ff8d'; // card 123456, valid to 2028-06-30
/** The hex UID of test card n, as a decision event reports it. */
const uidHex = (n: number) => toHex(uidOf(n));
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
    expect(events.map((e) => e.uid)).toEqual([1, 2, 3, 4, 5].map(uidHex));
    expect(events.map((e) => e.allow)).toEqual([true, true, false, true, true]);
    expect(events[2]).toMatchObject({ reason: 'invalid', error: 'CARD_REMOVED' });
    expect(events[0]).toMatchObject({ cardNumber: '123456', expiry: '2028-06-30' });
    expect(new Set(events).size).toBe(5); // five event objects, none reused
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5].map(uidHex));
    for (const e of events) expect(e.timings.totalUs).toBeGreaterThanOrEqual(e.timings.readUs);
    await gate.idle();
  });

  it('a tap begun inside a listener, and once/on listeners together', async () => {
    const gate = newGate();
    const nested: Promise<GateDecisionEvent>[] = [];
    const onceGot: string[] = [];
    gate.once('decision', (e) => onceGot.push(e.uid));
    gate.on('decision', (e) => {
      if (e.uid === uidHex(7)) nested.push(gate.tap(hmskCard(uidOf(8), SPEC_GATE_BLOCK)));
    });
    const first = await gate.tap(hmskCard(uidOf(7), SPEC_GATE_BLOCK));
    const second = await nested[0];
    expect([first.uid, second.uid]).toEqual([uidHex(7), uidHex(8)]);
    expect(onceGot).toEqual([uidHex(7)]); // once: the first decision only
    expect(gate.listenerCount('decision')).toBe(1);
    expect(gate.stats).toMatchObject({ taps: 2, allowed: 2 });
  });

  it('two UIDs whose cache hashes collide each get their own hex and key', async () => {
    // FNV-1a over the UID bytes (h = (h ^ byte) * 16777619 mod 2^32, the product split as
    // 2^24 + 403 to stay exact in doubles), top 30 bits: what the gate's cache keys on.
    const fnv30 = (b: Uint8Array) => {
      let h = 2166136261;
      for (const x of b) {
        const v = (h ^ x) >>> 0;
        h = (v * 403 + ((v << 24) >>> 0)) % 2 ** 32;
      }
      return h >>> 2;
    };
    // 4-byte UIDs spread over all four bytes (UIDs 04 xx xx xx alone never collide: with one byte
    // fixed, FNV-1a maps the other three one to one).
    const uid = (n: number) => {
      const v = Math.imul(n, 0x9e3779b1) >>> 0;
      return Uint8Array.of(v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    };
    const seen = new Map<number, number>();
    let pair: [number, number] | undefined;
    for (let n = 1; !pair; n++) {
      const h = fnv30(uid(n));
      const m = seen.get(h);
      if (m !== undefined) pair = [m, n];
      else seen.set(h, n);
    }
    const gate = newGate();
    const [a, b] = pair;
    expect(Buffer.from(uid(a)).equals(Buffer.from(uid(b)))).toBe(false);
    for (const n of [a, b, a, b]) {
      const e = await gate.tap(hmskCard(uid(n), SPEC_GATE_BLOCK));
      expect({ uid: e.uid, allow: e.allow }).toEqual({ uid: toHex(uid(n)), allow: true });
    }
  });
});
