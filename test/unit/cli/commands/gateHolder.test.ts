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

describe('the CLI wiring: a card whose fields went into an event is known to the gate', () => {
  // The gate as `hmskort gate --holder-read --outbox` builds it (src/cli/commands/gate.ts): the
  // outbox attached to the gate (or, for the late case, to a relay that holds back each 'holder'
  // event by `delayMs`, as a slow card would) and `known` learnt from its 'holder-attached'.
  async function wired(holderWaitMs: number, delayMs: number) {
    const { EventEmitter } = await import('node:events');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { Gate } = await import('../../../../src/gate/gate.js');
    const { EventOutbox } = await import('../../../../src/fleet/outbox.js');
    const { publicKeyOf } = await import('../../../../src/card/signature.js');
    const { cardExamples } = await import('../../../helpers/cardExamples.js');
    const { holderReadOption, wireHolderRead } = await import('../../../../src/cli/commands/gateHolder.js');
    const ex = cardExamples().find((e) => e.input.signingKey !== undefined)!;
    const known = new KnownCards();
    const holderRead = holderReadOption(true, true, { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) }, known)!;
    const gate = new Gate({ readMaster: ex.readMaster, clock: () => Date.UTC(2027, 0, 1, 12), holderRead });
    const lines: string[] = [];
    const outbox = await EventOutbox.open({ dir: mkdtempSync(join(tmpdir(), 'hmsk-known-')), gateId: 'g1', site: 's1', holderWaitMs });
    const relay = new EventEmitter();
    gate.on('decision', (d) => relay.emit('decision', d));
    gate.on('holder-start', (d) => relay.emit('holder-start', d));
    gate.on('holder', (h) => setTimeout(() => relay.emit('holder', h), delayMs));
    outbox.attach(relay);
    wireHolderRead(gate, outbox, known, true, (l) => lines.push(l));
    return { ex, known, gate, outbox, lines };
  }

  test('fields in time: the second tap of the same card costs no extra card command', async () => {
    const { VirtualMifareClassic1K } = await import('../../../../src/testing/virtualCard.js');
    const { ex, known, gate, outbox, lines } = await wired(1000, 0);
    const first = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(first);
    await gate.stop();
    await outbox.flush();
    expect(known.has(ex.holder.cardNumber)).toBe(true);
    const second = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(second);
    await gate.stop();
    await outbox.close();
    // The gate's own two (one authentication, one read of block 4), nothing more (docs/gate.md).
    expect(second.counters.operations).toBe(2);
    expect(first.counters.operations).toBeGreaterThan(2);
    expect(gate.holderStats).toMatchObject({ reads: 1, known: 1, verified: 1 });
    expect(outbox.stats).toMatchObject({ holders: 1, holdersLate: 0 });
    expect(lines).toHaveLength(1);
  });

  test('fields too late for their event: not known, so the next tap reads the card again', async () => {
    const { VirtualMifareClassic1K } = await import('../../../../src/testing/virtualCard.js');
    const { ex, known, gate, outbox } = await wired(5, 60);
    await gate.tap(VirtualMifareClassic1K.fromBlocks(ex.blocks));
    await gate.stop();
    await new Promise((r) => setTimeout(r, 120));
    expect(outbox.stats.holdersLate).toBe(1);
    expect(known.has(ex.holder.cardNumber)).toBe(false);
    const second = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(second);
    await gate.stop();
    await new Promise((r) => setTimeout(r, 120));
    await outbox.close();
    expect(second.counters.operations).toBeGreaterThan(2);
    expect(gate.holderStats).toMatchObject({ reads: 2, known: 0, verified: 2 });
  });
});
