/**
 * Spec section 3, "Encoding order", last step: after writing, the encoder reads every written block
 * back with the sector's new key A and compares it (data blocks whole; the trailer's access bits
 * and GPB, the keys being unreadable). A card that acknowledges a write without storing it, or
 * stores something else, must end in VERIFY_FAILED naming the block, never in a report of success.
 */
import { describe, expect, it } from 'vitest';
import { encodeCard, EncodeError } from '../../../src/card/encoder.js';
import { trailerBlock } from '../../../src/card/layout.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { cardExamples } from '../../helpers/cardExamples.js';

const ex = cardExamples().find((e) => e.id === 'card-unsigned-7-byte-uid')!;

/** The virtual card, with every write to `block` passed through `change` first. */
function cardAltering(block: number, change: (data: Uint8Array) => Uint8Array | undefined) {
  const inner = new VirtualMifareClassic1K(ex.uid);
  return {
    inner,
    card: {
      get uid() {
        return inner.uid;
      },
      authenticate: inner.authenticate.bind(inner),
      readBlock: inner.readBlock.bind(inner),
      async writeBlock(b: number, data: Uint8Array) {
        if (b !== block) return inner.writeBlock(b, data);
        const stored = change(data);
        if (stored) await inner.writeBlock(b, stored);
      },
      reactivate: async () => inner.reinsert(),
    },
  };
}

async function encodeError(card: Parameters<typeof encodeCard>[0]): Promise<EncodeError> {
  const e = await encodeCard(card, ex.input).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(EncodeError);
  return e as EncodeError;
}

describe('the encoder reads back what it wrote (section 3)', () => {
  it('the unaltered card encodes (control)', async () => {
    const { card } = cardAltering(-1, (d) => d);
    await expect(encodeCard(card, ex.input)).resolves.toBeDefined();
  });
  it('a data block whose write is acknowledged but not stored: VERIFY_FAILED at that block', async () => {
    const { card } = cardAltering(5, () => undefined);
    const e = await encodeError(card);
    expect([e.code, e.block]).toEqual(['VERIFY_FAILED', 5]);
  });
  it('a data block stored with one bit flipped: VERIFY_FAILED at that block', async () => {
    const { card } = cardAltering(9, (d) => Uint8Array.from(d, (x, i) => (i === 3 ? x ^ 1 : x)));
    const e = await encodeError(card);
    expect([e.code, e.block]).toEqual(['VERIFY_FAILED', 9]);
  });
  it("a trailer stored with another GPB: VERIFY_FAILED at the trailer (keys and access bits fine)", async () => {
    const t = trailerBlock(2);
    const { card } = cardAltering(t, (d) => Uint8Array.from(d, (x, i) => (i === 9 ? x ^ 0x40 : x)));
    const e = await encodeError(card);
    expect([e.code, e.block]).toEqual(['VERIFY_FAILED', t]);
  });
});

describe('random ID cards (NXP AN10927: a 4-byte UID starting 0x08 is new at every activation)', () => {
  it('a 4-byte UID 08 xx xx xx is refused with RANDOM_ID before anything is written', async () => {
    const card = new VirtualMifareClassic1K('08a1b2c3', { log: true });
    const e = await encodeError(card);
    expect(e.code).toBe('RANDOM_ID');
    expect(card.log.filter((o) => o.op === 'write')).toEqual([]);
  });
  it('a 7-byte UID starting 08 is not a random ID and encodes', async () => {
    await expect(encodeCard(new VirtualMifareClassic1K('08a1b2c3d4e5f6'), ex.input)).resolves.toBeDefined();
  });
});
