/**
 * The fields of a Gate decision event (src/gate/gate.ts), checked against what the test itself
 * observes: the timings are microseconds (bounded by the wall-clock time the test measures around
 * the tap) and add up (total = read + decode + decide, to the rounding of three 1 ns steps); an
 * event has an `error` key only when the tap was invalid; the read master key is the gate's own
 * copy. The virtual reader and card run in-process.
 */
import { describe, expect, it } from 'vitest';
import { Gate, decisionPart, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { hmskCard, READ_MASTER, uidOf } from '../../helpers/gateCards.js';

// Spec example gate block (card 123456, org 974760673, construction, expiry 2028-06-30).
const GOOD = '4811000001e2403a19aae128a800ff8d';

/** Presents `card`; the decision and the wall-clock µs from just before the present to the event. */
function tap(reader: VirtualCardReader, gate: Gate, card: VirtualMifareClassic1K): Promise<{ d: GateDecisionEvent; wallUs: number }> {
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('no decision within 5 s')), 5000);
    const t0 = performance.now();
    gate.once('decision', (d: GateDecisionEvent) => {
      clearTimeout(timer);
      res({ d, wallUs: (performance.now() - t0) * 1000 });
    });
    reader.present(card);
  });
}

describe('decision timings', () => {
  it('are microseconds that add up, for allowed, invalid and unreadable taps', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    const bad = hmskCard(uidOf(12), GOOD);
    bad.corruptRead(2, 15, 0x01);
    const cards = [hmskCard(uidOf(10), GOOD), new VirtualMifareClassic1K(uidOf(11)), bad, hmskCard(uidOf(13), '00'.repeat(16))];
    for (const card of cards) {
      const { d, wallUs } = await tap(reader, gate, card);
      const { totalUs, readUs, decodeUs, decideUs } = d.timings;
      for (const v of [totalUs, readUs, decodeUs, decideUs]) expect(v).toBeGreaterThanOrEqual(0);
      expect(Math.abs(totalUs - (readUs + decodeUs + decideUs))).toBeLessThanOrEqual(0.003);
      // The tap happened inside the span the test measured (+1 µs for the rounding).
      expect(totalUs).toBeLessThanOrEqual(wallUs + 1);
      expect(totalUs).toBeGreaterThan(0);
    }
    await gate.stop();
  });
});

describe('decision event keys', () => {
  it('an allowed tap has no error key; an invalid one has exactly the base fields and error', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    const ok = (await tap(reader, gate, hmskCard(uidOf(20), GOOD))).d;
    expect(ok.allow).toBe(true);
    expect(Object.keys(ok).sort()).toEqual(['allow', 'at', 'cardNumber', 'category', 'expiry', 'issue', 'orgNumber', 'reason', 'timings', 'uid']);
    expect(Object.keys(decisionPart(ok))).toEqual(['allow', 'reason']);
    const blank = (await tap(reader, gate, new VirtualMifareClassic1K(uidOf(21)))).d;
    expect(Object.keys(blank).sort()).toEqual(['allow', 'at', 'error', 'reason', 'timings', 'uid']);
    expect(decisionPart(blank)).toEqual({ allow: false, reason: 'invalid', error: 'AUTH_FAILED' });
    expect(() => decisionPart(null as never)).toThrow(/decisionPart: event /);
    await gate.stop();
  });
});

describe('Gate options', () => {
  it('keeps its own copy of the read master key', async () => {
    const master = READ_MASTER.slice();
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: master, clock: () => Date.UTC(2027, 0, 1) }).start(reader);
    master.fill(0); // the caller wipes its copy (as a key loader does after use)
    expect((await tap(reader, gate, hmskCard(uidOf(30), GOOD))).d.reason).toBe('ok');
    await gate.stop();
  });
  it('starts once; argument errors name the class and the option', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: READ_MASTER }).start(reader);
    expect(() => gate.start(new VirtualCardReader())).toThrow(/gate already started/);
    await gate.stop();
    expect(() => new Gate(null as never)).toThrow(/Gate: opts /);
    expect(() => new Gate({ readMaster: new Uint8Array(15) })).toThrow(/Gate: opts\.readMaster /);
  });
});
