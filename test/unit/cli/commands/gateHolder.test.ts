/** The gate's known-card set for --holder-read (src/cli/commands/gateHolder.ts): bounded, oldest out. */
import { describe, expect, test } from 'vitest';
import { KnownCards, KNOWN_MAX } from '../../../../src/cli/commands/gateHolder.js';

describe('KnownCards', () => {
  test('never holds more than its bound; the oldest goes first', () => {
    const k = new KnownCards(3);
    for (const n of ['1', '2', '3', '4']) k.add(n);
    expect(k.size).toBe(3);
    expect(k.has('1')).toBe(false);
    expect(['2', '3', '4'].every((n) => k.has(n))).toBe(true);
  });

  test('a card read again moves to the newest end', () => {
    const k = new KnownCards(3);
    for (const n of ['1', '2', '3', '1', '4']) k.add(n);
    expect(k.has('1')).toBe(true);
    expect(k.has('2')).toBe(false);
  });

  test('the default bound is 100 000 and holds', () => {
    expect(KNOWN_MAX).toBe(100_000);
    const k = new KnownCards();
    for (let i = 0; i < KNOWN_MAX + 10; i++) k.add(String(i));
    expect(k.size).toBe(KNOWN_MAX);
    expect(k.has('9')).toBe(false);
    expect(k.has('10')).toBe(true);
  });
});

describe('the CLI wiring: a card read once is known to the gate', () => {
  test('the second tap of the same card costs no extra card command', async () => {
    const { Gate } = await import('../../../../src/gate/gate.js');
    const { VirtualMifareClassic1K } = await import('../../../../src/testing/virtualCard.js');
    const { publicKeyOf } = await import('../../../../src/card/signature.js');
    const { cardExamples } = await import('../../../helpers/cardExamples.js');
    const { followHolders, holderReadOption } = await import('../../../../src/cli/commands/gateHolder.js');
    const ex = cardExamples().find((e) => e.input.signingKey !== undefined)!;
    const known = new KnownCards();
    const holderRead = holderReadOption(true, true, { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) }, known)!;
    const gate = new Gate({ readMaster: ex.readMaster, clock: () => Date.UTC(2027, 0, 1, 12), holderRead });
    const lines: string[] = [];
    followHolders(gate, known, true, (l) => lines.push(l));
    const first = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(first);
    await gate.stop();
    expect(known.has(ex.holder.cardNumber)).toBe(true);
    const second = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(second);
    await gate.stop();
    // The gate's own two (one authentication, one read of block 4), nothing more (docs/gate.md).
    expect(second.counters.operations).toBe(2);
    expect(first.counters.operations).toBeGreaterThan(2);
    expect(gate.holderStats).toMatchObject({ reads: 1, known: 1, verified: 1 });
    expect(lines).toHaveLength(1);
  });
});
