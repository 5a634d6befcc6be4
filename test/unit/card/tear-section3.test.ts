/**
 * Tearing (spec section 3, "Encoding order": "a card pulled from the field half-way is never read
 * as a valid card", "running it again on the same card completes the card"). For EVERY N from 1 to
 * the operation count of a full encode, a card is pulled after N operations, then:
 *   (a) a gate read gives an error or the complete new card, never a valid card with other data
 *       (re-encoding a finished card: the old card, the new card, or an error);
 *   (b) encoding again ends byte for byte equal to the spec's `card` example.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { encodeCard, EncodeError, type EncodeInput } from '../../../src/card/encoder.js';
import { gateRead, fullRead } from '../../../src/card/readers.js';
import { publicKeyOf } from '../../../src/card/signature.js';
import { cardExamples, type CardExample } from '../../helpers/cardExamples.js';
import { toHex as recordHex } from '../../helpers/hex.js';

const examples = cardExamples();

/** The gate read's outcome: 'error', or the hex of the gate block it accepted. */
async function gateOutcome(card: VirtualMifareClassic1K, readMaster: Uint8Array): Promise<string> {
  try {
    const r = await gateRead(card, readMaster);
    return Buffer.from(r.gateBlock).toString('hex');
  } catch {
    return 'error';
  }
}

async function encodePulled(card: VirtualMifareClassic1K, input: EncodeInput, n: number): Promise<'complete' | 'torn'> {
  card.pullAfter(n);
  try {
    await encodeCard(card, input);
    return 'complete';
  } catch (e) {
    expect(e).toBeInstanceOf(EncodeError);
    expect((e as EncodeError).removed).toBe(true);
    return 'torn';
  } finally {
    card.reinsert();
  }
}

/** Record bytes 0-143 from blocks 4,5,6, 8,9,10, 12,13,14 (spec section 3), as hex. */
const recordOf = (blocks: string[]) => [4, 5, 6, 8, 9, 10, 12, 13, 14].map((b) => blocks[b]).join('');

function publicKeys(ex: CardExample): Record<string, Uint8Array> {
  return ex.input.signingKey ? { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey) } : {};
}

describe('a blank card pulled after every N operations', () => {
  for (const ex of examples) {
    it(`${ex.id}: gate read gives an error or the new card; a second encode ends equal to the example`, async () => {
      const total = (await encodeCard(new VirtualMifareClassic1K(ex.uid), ex.input)).operations;
      expect(total).toBeGreaterThan(20);
      const newGate = ex.blocks[4];
      let sawError = 0;
      let sawNew = 0;
      for (let n = 1; n <= total; n++) {
        const card = new VirtualMifareClassic1K(ex.uid);
        const state = await encodePulled(card, ex.input, n);
        expect(state).toBe(n === total ? 'complete' : 'torn');
        const gate = await gateOutcome(card, ex.readMaster);
        expect(['error', newGate], `N=${n}`).toContain(gate);
        if (gate === 'error') sawError++;
        else sawNew++;
        // A lab's full read never verifies a card with other data either.
        const full = await fullRead(card, { readMaster: ex.readMaster, publicKeys: publicKeys(ex) }).catch(() => undefined);
        if (full?.holder) expect(recordHex(full.record)).toBe(recordOf(ex.blocks));
        await encodeCard(card, ex.input);
        expect(card.exportBlocks(), `N=${n}`).toEqual(ex.blocks);
      }
      expect(sawError).toBeGreaterThan(0);
      expect(sawNew).toBeGreaterThan(0);
    });
  }
});

describe('re-encoding a finished card with a different holder, pulled after every N operations', () => {
  for (const ex of examples) {
    it(`${ex.id}: gate read gives the old card, the new card, or an error; a second run completes the new card`, async () => {
      const holder = { ...ex.holder, cardNumber: '777000111', givenName: 'Ola', familyName: 'Nordmann', issue: 3 };
      const input: EncodeInput = { ...ex.input, holder };
      const reference = new VirtualMifareClassic1K(ex.uid);
      await encodeCard(reference, input);
      const newImage = reference.exportBlocks();
      const oldGate = ex.blocks[4];
      const newGate = newImage[4];
      expect(newGate).not.toBe(oldGate);
      const first = VirtualMifareClassic1K.fromBlocks(ex.blocks);
      const total = (await encodeCard(first, input)).operations;
      const seen = new Set<string>();
      for (let n = 1; n <= total; n++) {
        const card = VirtualMifareClassic1K.fromBlocks(ex.blocks);
        await encodePulled(card, input, n);
        const gate = await gateOutcome(card, ex.readMaster);
        expect([oldGate, newGate, 'error'], `N=${n}`).toContain(gate);
        const full = await fullRead(card, { readMaster: ex.readMaster, publicKeys: publicKeys(ex) }).catch(() => undefined);
        if (full?.holder) expect([recordOf(ex.blocks), recordOf(newImage)]).toContain(recordHex(full.record));
        seen.add(gate === oldGate ? 'old' : gate === newGate ? 'new' : 'error');
        await encodeCard(card, input);
        expect(card.exportBlocks(), `N=${n}`).toEqual(newImage);
      }
      expect(seen.has('old') && seen.has('new')).toBe(true);
    });
  }
});

describe('repeated tearing', () => {
  it('any sequence of pulls, each followed by another run, ends equal to the example', async () => {
    const ex = examples[0];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 6 }), async (pulls) => {
        const card = new VirtualMifareClassic1K(ex.uid);
        for (const n of pulls) {
          await encodePulled(card, ex.input, n);
          expect(['error', ex.blocks[4]]).toContain(await gateOutcome(card, ex.readMaster));
        }
        await encodeCard(card, ex.input);
        expect(card.exportBlocks()).toEqual(ex.blocks);
      }),
      { numRuns: 60 },
    );
  });
});

describe('re-encoding the signed card without a signature (revision 2026-12-03), pulled after every N operations', () => {
  const ex = examples.find((e) => e.input.signingKey !== undefined)!;
  it(`${ex.id}: gate read gives the old card, the new card, or an error; a second run ends equal to a fresh unsigned card`, async () => {
    const { signingKey: _s, keyId: _k, ...unsigned } = ex.input;
    const input: EncodeInput = { ...unsigned, holder: { ...ex.holder, cardNumber: '777000111', issue: 3 } };
    const fresh = new VirtualMifareClassic1K(ex.uid);
    await encodeCard(fresh, input);
    const newImage = fresh.exportBlocks();
    const total = (await encodeCard(VirtualMifareClassic1K.fromBlocks(ex.blocks), input)).operations;
    const seen = new Set<string>();
    for (let n = 1; n <= total; n++) {
      const card = VirtualMifareClassic1K.fromBlocks(ex.blocks);
      await encodePulled(card, input, n);
      const gate = await gateOutcome(card, ex.readMaster);
      expect([ex.blocks[4], newImage[4], 'error'], `N=${n}`).toContain(gate);
      card.reinsert();
      const full = await fullRead(card, { readMaster: ex.readMaster, publicKeys: publicKeys(ex) }).catch(() => undefined);
      if (full?.holder) expect([recordOf(ex.blocks), recordOf(newImage)], `N=${n}`).toContain(recordHex(full.record));
      seen.add(gate === ex.blocks[4] ? 'old' : gate === newImage[4] ? 'new' : 'error');
      card.reinsert();
      await encodeCard(card, input);
      expect(card.exportBlocks(), `N=${n}`).toEqual(newImage);
    }
    expect(seen.has('old') && seen.has('new')).toBe(true);
  });
});
