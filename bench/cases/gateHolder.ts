/**
 * The holder read after the decision (issue 18 part 1; src/gate/holderRead.ts), in-process on the
 * virtual MF1S50 with the spec's signed `card` example (test-vectors/spec-examples.json):
 *
 *   gate-holder/virtual  one op = Gate.tap with opts.holderRead, then the 'holder' event: the
 *       decision (one authentication, one read of block 4) and the verified full read after it
 *       (sectors 0-5: 6 authentications, 24 reads, the ECDSA/Ed25519 check of section 5).
 *
 * Its extra figures answer "does the decision wait for it?": the decision's own time (the event's
 * timings.totalUs) on a gate with holder reads and on one without, over the same card, and the
 * holder read's time after the decision (the 'holder' event's ms) and its card commands. The
 * software stack of a reader is pcsc/gate-holder-read (bench/cases/pcsc.ts); the air time of the
 * 30 commands on a real MF1S50 is computed from the datasheet in src/card/airTime.ts (63 ms at
 * least, against 4.2 ms for the decision's two: docs/gate.md, "On the air").
 */
import type { BenchCase } from '../harness.js';
import { Gate, type GateDecisionEvent } from '../../src/gate/gate.js';
import type { GateHolderEvent } from '../../src/gate/holderRead.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import { publicKeyOf } from '../../src/card/signature.js';
import type { MifareClassicCard } from '../../src/transport/card.js';
import { cardExamples } from '../../test/helpers/cardExamples.js';

const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = Date.parse('2026-06-15T10:00:00Z');
const publicKeys = { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) };

export interface HolderTap {
  d: GateDecisionEvent;
  h: GateHolderEvent;
}

/** One tap on a gate with holder reads: the decision, then the holder event that follows it. */
export async function tapWithHolder(gate: Gate, card: MifareClassicCard): Promise<HolderTap> {
  const h = new Promise<GateHolderEvent>((resolve) => gate.once('holder', resolve));
  const d = await gate.tap(card);
  return { d, h: await h };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Decision time with and without holder reads, and the holder read's own time, over `n` taps each. */
export async function holderFigures(card: MifareClassicCard, readMaster: Uint8Array, n: number): Promise<Record<string, unknown>> {
  const withRead = new Gate({ readMaster, clock: () => NOW, holderRead: { publicKeys } });
  const without = new Gate({ readMaster, clock: () => NOW });
  const dWith: number[] = [];
  const dWithout: number[] = [];
  const hMs: number[] = [];
  let ops = 0;
  for (let i = 0; i < n; i++) {
    const t = await tapWithHolder(withRead, card);
    dWith.push(t.d.timings.totalUs);
    hMs.push(t.h.ms);
    ops = t.h.operations;
    dWithout.push((await without.tap(card)).timings.totalUs);
  }
  return {
    taps: n,
    decisionUsMedianWithHolderRead: median(dWith),
    decisionUsMedianWithout: median(dWithout),
    holderReadAfterDecisionMsMedian: median(hMs),
    holderReadAfterDecisionMsMax: Math.max(...hMs),
    holderReadCardCommands: ops,
  };
}

const holderOk = (t: HolderTap) => t.d.allow && t.h.holder?.name === `${ex.holder.givenName} ${ex.holder.familyName}`;

export const cases: BenchCase[] = [
  {
    name: 'gate-holder/virtual',
    setup: () => ({ card: VirtualMifareClassic1K.fromBlocks(ex.blocks), gate: new Gate({ readMaster: ex.readMaster, clock: () => NOW, holderRead: { publicKeys } }) }),
    fn: (s: { card: MifareClassicCard; gate: Gate }) => tapWithHolder(s.gate, s.card),
    check: holderOk,
    measureAlloc: false,
    extra: (s: { card: MifareClassicCard }) => holderFigures(s.card, ex.readMaster, 200),
  },
];
