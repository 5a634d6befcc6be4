/**
 * The Gate on the virtual reader (spec sections 3 and 7): the spec's `gate` examples and every
 * 16-byte vector of test-vectors/gate.json presented as cards with the example's hot list, policy
 * and instant; one authentication and one read per tap; then a soak of 100 000 taps of random good,
 * corrupt, blank, foreign and pulled cards: every tap decided as the reference decision says, and
 * the gate still serving at the end.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Gate, decisionPart, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { decideGate, hotlistFromEntries, type GatePolicy, type HotlistEntry } from '../../../src/codec/gateDecision.js';
import { parseInstant } from '../../../src/vectors/kinds/gate.js';
import { Hotlist } from '../../../src/hotlist/load.js';
import { hmskCard, READ_MASTER, uidOf } from '../../helpers/gateCards.js';

const root = resolve(import.meta.dirname, '../../..');
interface GateVector {
  id: string;
  kind: string;
  input: { gateBlock: string; now: string; hotlist: HotlistEntry[]; policy: GatePolicy };
  expect: Record<string, unknown>;
}
const load = (p: string) => (JSON.parse(readFileSync(resolve(root, p), 'utf8')) as { vectors: GateVector[] }).vectors.filter((v) => v.kind === 'gate');

/** Presents `card` and resolves with the decision the gate emits for it. */
function presentAndDecide(reader: VirtualCardReader, gate: Gate, card: VirtualMifareClassic1K): Promise<GateDecisionEvent> {
  return new Promise((res) => {
    gate.once('decision', res);
    reader.present(card);
  });
}

describe('spec gate examples and test-vectors/gate.json through Gate on the virtual reader', () => {
  const vectors = [...load('test-vectors/spec-examples.json'), ...load('test-vectors/gate.json').filter((v) => /^[0-9a-fA-F]{32}$/.test(v.input.gateBlock))];
  it('has the spec examples and the 16-byte vectors', () => expect(vectors.length).toBeGreaterThan(70));
  vectors.forEach((v, i) =>
    it(v.id, async () => {
      const reader = new VirtualCardReader();
      const now = parseInstant(v.input.now);
      const gate = new Gate({ readMaster: READ_MASTER, hotlist: hotlistFromEntries(v.input.hotlist), policy: v.input.policy, clock: () => now }).start(reader);
      const card = hmskCard(uidOf(i), v.input.gateBlock);
      const d = await presentAndDecide(reader, gate, card);
      expect(decisionPart(d)).toEqual(v.expect);
      // Exactly one authentication and one read (spec section 3: the gate reads one block).
      expect(card.counters).toMatchObject({ auths: 1, reads: 1, writes: 0 });
      expect(d.uid).toBe(Buffer.from(uidOf(i)).toString('hex'));
      expect(d.at).toBe(new Date(now).toISOString());
      expect(d.timings.totalUs).toBeGreaterThanOrEqual(d.timings.readUs);
      await gate.stop();
    }),
  );

  it('the decision carries the gate fields of a decoded block', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    const d = await presentAndDecide(reader, gate, hmskCard(uidOf(1), '4811000001e2403a19aae128a800ff8d'));
    // Spec example gate block: card 0x01E240 = 123456, org 0x3A19AAE1 = 974760673, expiry day 0x28A8 = 2028-06-30.
    expect(d).toMatchObject({ allow: true, reason: 'ok', cardNumber: '123456', orgNumber: '974760673', category: 'construction', expiry: '2028-06-30', issue: 0 });
  });
});

describe('failures become decisions', () => {
  const GOOD = '4811000001e2403a19aae128a800ff8d';
  const setup = () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    return { reader, gate };
  };
  it('blank card: AUTH_FAILED (transport keys, not ours)', async () => {
    const { reader, gate } = setup();
    expect(decisionPart(await presentAndDecide(reader, gate, new VirtualMifareClassic1K(uidOf(2))))).toEqual({ allow: false, reason: 'invalid', error: 'AUTH_FAILED' });
  });
  it('card pulled between authentication and read: CARD_REMOVED', async () => {
    const { reader, gate } = setup();
    const card = hmskCard(uidOf(3), GOOD);
    card.pullAfter(1); // the authentication completes, then the card leaves the field
    expect(decisionPart(await presentAndDecide(reader, gate, card))).toEqual({ allow: false, reason: 'invalid', error: 'CARD_REMOVED' });
  });
  it('corrupted read: BAD_CRC', async () => {
    const { reader, gate } = setup();
    const card = hmskCard(uidOf(4), GOOD);
    card.corruptRead(2, 15, 0x01);
    expect(decisionPart(await presentAndDecide(reader, gate, card))).toEqual({ allow: false, reason: 'invalid', error: 'BAD_CRC' });
  });
  it('a blank block 4 with our keys: BLANK', async () => {
    const { reader, gate } = setup();
    expect(decisionPart(await presentAndDecide(reader, gate, hmskCard(uidOf(5), '00'.repeat(16))))).toEqual({ allow: false, reason: 'invalid', error: 'BLANK' });
  });
  it('reader errors go to the error event; a throwing listener does not stop the gate', async () => {
    const { reader, gate } = setup();
    const errors: Error[] = [];
    gate.on('error', (e) => errors.push(e));
    reader.emit('error', new Error('reader lost'));
    gate.on('decision', () => {
      throw new Error('listener bug');
    });
    const d = await presentAndDecide(reader, gate, hmskCard(uidOf(6), GOOD));
    expect(d.allow).toBe(true);
    expect(errors.map((e) => e.message)).toEqual(['reader lost', 'listener bug']);
    expect(gate.stats.readerErrors).toBe(1);
  });
  it('hot list and policy swap between taps', async () => {
    const { reader, gate } = setup();
    const card = hmskCard(uidOf(7), GOOD);
    expect((await presentAndDecide(reader, gate, card)).reason).toBe('ok');
    const h = new Hotlist();
    h.add(123456);
    gate.setHotlist(h);
    expect((await presentAndDecide(reader, gate, card)).reason).toBe('hotlisted');
    gate.setHotlist(new Hotlist());
    gate.setPolicy({ allowedCategories: ['cleaning'] });
    expect((await presentAndDecide(reader, gate, card)).reason).toBe('category-not-allowed');
    expect(() => gate.setPolicy({ allowedCategories: ['void' as never] })).toThrow(/INVALID_ARGUMENT: policy\.allowedCategories\[0\]/);
    expect((await presentAndDecide(reader, gate, card)).reason).toBe('category-not-allowed');
  });
});

describe('soak: 100 000 taps', () => {
  it('every tap decided as the reference says; the gate still serving', async () => {
    let seed = 0x2545f491;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % n);
    const now = Date.UTC(2027, 5, 1, 12);
    const entries: HotlistEntry[] = [{ cardNumber: '000042', status: 'stolen' }, { cardNumber: '7', status: 'lost', minIssue: 2 }];
    const policy: GatePolicy = { allowedCategories: ['construction', 'cleaning'] };
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, hotlist: hotlistFromEntries(entries), policy, clock: () => now }).start(reader);
    // A pool of good cards (gate blocks from the vectors: ok, expired, hotlisted, voided, ...).
    const blocks = [...new Set(load('test-vectors/gate.json').map((v) => v.input.gateBlock).filter((b) => /^[0-9a-f]{32}$/i.test(b)))];
    const good = blocks.map((b, i) => ({ card: hmskCard(uidOf(1000 + i), b), block: b }));
    const blank = Array.from({ length: 8 }, (_, i) => new VirtualMifareClassic1K(uidOf(5000 + i)));
    const foreign = Array.from({ length: 8 }, (_, i) => hmskCard(uidOf(6000 + i), blocks[0], Uint8Array.from({ length: 16 }, (_, k) => k + 99)));
    const counts = { good: 0, corrupt: 0, blank: 0, pulled: 0, foreign: 0 };
    const N = 100_000;
    let decided = 0;
    let mismatches = 0;
    for (let t = 0; t < N; t++) {
      const kind = rnd(10);
      let d: GateDecisionEvent;
      let want: object;
      if (kind < 5) {
        const g = good[rnd(good.length)];
        d = await presentAndDecide(reader, gate, g.card);
        want = decideGate(Buffer.from(g.block, 'hex'), now, entries, policy);
        counts.good++;
      } else if (kind < 7) {
        const g = good[rnd(good.length)];
        const byte = rnd(16);
        const xor = 1 + rnd(255);
        g.card.corruptRead(2, byte, xor);
        const bad = Buffer.from(g.block, 'hex');
        bad[byte] ^= xor;
        d = await presentAndDecide(reader, gate, g.card);
        want = decideGate(bad, now, entries, policy);
        counts.corrupt++;
      } else if (kind < 8) {
        d = await presentAndDecide(reader, gate, blank[rnd(blank.length)]);
        want = { allow: false, reason: 'invalid', error: 'AUTH_FAILED' };
        counts.blank++;
      } else if (kind < 9) {
        const g = good[rnd(good.length)];
        // Pulled before the authentication (the reader sees it gone), or between it and the read.
        if (rnd(2) === 0) g.card.failOperation(1, 'CARD_REMOVED');
        else g.card.pullAfter(1);
        d = await presentAndDecide(reader, gate, g.card);
        want = { allow: false, reason: 'invalid', error: 'CARD_REMOVED' };
        counts.pulled++;
      } else {
        d = await presentAndDecide(reader, gate, foreign[rnd(foreign.length)]);
        want = { allow: false, reason: 'invalid', error: 'AUTH_FAILED' };
        counts.foreign++;
      }
      decided++;
      const got = decisionPart(d);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches++;
        if (mismatches < 5) expect(got, `tap ${t}`).toEqual(want);
      }
      reader.remove();
    }
    expect(decided).toBe(N);
    expect(mismatches).toBe(0);
    expect(gate.stats.taps).toBe(N);
    expect(Object.values(counts).every((c) => c > 5000)).toBe(true);
    // Still serving.
    const last = await presentAndDecide(reader, gate, hmskCard(uidOf(9999), '4811000001e2403a19aae128a800ff8d'));
    expect(decisionPart(last)).toEqual({ allow: true, reason: 'ok' });
    await gate.stop();
  }, 120_000);
});

describe('Gate.stats counts each tap once, by outcome', () => {
  it('allowed, denied and invalid taps', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, policy: { allowedCategories: ['cleaning'] }, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    const cleaning = '48120000001267370d27b8269402ff06'; // spec example, cleaning, expiry 2027-01-15
    const construction = '4811000001e2403a19aae128a800ff8d'; // spec example, construction
    const corrupt = construction.slice(0, 30) + '00'; // CRC-16 wrong
    const got = [];
    for (const [i, block] of [cleaning, construction, corrupt, cleaning].entries()) got.push(decisionPart(await presentAndDecide(reader, gate, hmskCard(uidOf(10 + i), block))));
    expect(got.map((d) => d.reason)).toEqual(['ok', 'category-not-allowed', 'invalid', 'ok']);
    expect(gate.stats).toMatchObject({ taps: 4, allowed: 2, denied: 1, invalid: 1, readerErrors: 0 });
  });
});
