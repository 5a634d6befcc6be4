/**
 * Spec section 3, "Before writing, it finds each sector's current key", on the strict card (silent
 * after a failure, the MF1S50 default of src/testing/virtualCard.ts): a blank card costs no failed
 * authentication, a re-encode at most one re-activation; the old sequence (derived key B, then the
 * transport key, nothing in between) fails on the strict card, so the model has teeth; random-ID
 * cards are refused because the keys derive from the UID.
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { encodeCard, EncodeError } from '../../../src/card/encoder.js';
import { deriveKey } from '../../../src/card/kdf.js';
import { hmskSectors, trailerBlock } from '../../../src/card/layout.js';
import { CardError, isCardError, type MifareClassicCard } from '../../../src/transport/card.js';
import { cardExamples } from '../../helpers/cardExamples.js';

const examples = cardExamples();
const signedEx = examples.find((e) => e.id === 'card-signed-4-byte-uid')!;
const unsignedEx = examples.find((e) => e.id === 'card-unsigned-7-byte-uid')!;
const FF6 = new Uint8Array(6).fill(0xff);

/**
 * The find-keys sequence of the encoder before issue 13, written out here: per sector the derived
 * key B, then at once the transport key; a sector neither opens makes the card FOREIGN_CARD.
 */
async function oldFindKeys(card: MifareClassicCard, ex: typeof signedEx): Promise<'FOREIGN_CARD' | 'ok'> {
  const signed = ex.input.signingKey !== undefined;
  for (const s of hmskSectors(signed)) {
    const b = trailerBlock(s);
    try {
      await card.authenticate(b, 'B', deriveKey(ex.input.writeMaster, card.uid, s, 'B'));
      continue;
    } catch (e) {
      if (!isCardError(e)) throw e;
    }
    try {
      await card.authenticate(b, 'A', FF6);
    } catch (e) {
      if (!isCardError(e)) throw e;
      return 'FOREIGN_CARD';
    }
  }
  return 'ok';
}

describe('the model has teeth: the old find-keys sequence', () => {
  for (const ex of [signedEx, unsignedEx]) {
    it(`${ex.id}: fails on a blank strict card (FOREIGN_CARD), succeeds on the lenient one`, async () => {
      const strict = new VirtualMifareClassic1K(ex.uid);
      expect(await oldFindKeys(strict, ex)).toBe('FOREIGN_CARD');
      expect(strict.counters.silent).toBe(1); // the transport key went to a silent chip
      const lenient = new VirtualMifareClassic1K(ex.uid, { afterFailure: 'lenient' });
      expect(await oldFindKeys(lenient, ex)).toBe('ok');
    });
  }
});

describe('failed authentications and re-activations', () => {
  for (const ex of [signedEx, unsignedEx]) {
    it(`${ex.id}: a blank card: zero failed authentications, zero re-activations, nothing refused`, async () => {
      const card = new VirtualMifareClassic1K(ex.uid);
      const r = await encodeCard(card, ex.input);
      expect([r.failedAuths, r.reactivations]).toEqual([0, 0]);
      expect(card.counters.refused).toBe(0);
      expect(card.exportBlocks()).toEqual(ex.blocks);
    });

    it(`${ex.id}: a re-encode with another holder: at most one re-activation`, async () => {
      const card = VirtualMifareClassic1K.fromBlocks(ex.blocks);
      const r = await encodeCard(card, { ...ex.input, holder: { ...ex.holder, cardNumber: '777000111', issue: 3 } });
      expect(r.found).toBe('ours');
      expect(r.reactivations).toBeLessThanOrEqual(1);
      expect(r.failedAuths).toBe(r.reactivations);
      expect(card.counters.reactivations).toBe(r.reactivations);
    });
  }

  it('a signed card re-encoded unsigned, and an unsigned card re-encoded signed: one re-activation each', async () => {
    const signedCard = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    const { signingKey: _s, keyId: _k, ...unsignedInput } = signedEx.input;
    expect((await encodeCard(signedCard, unsignedInput)).reactivations).toBe(1);
    expect((await encodeCard(signedCard, signedEx.input)).reactivations).toBe(1);
    expect(signedCard.exportBlocks()).toEqual(signedEx.blocks);
  });

  it('the encode report and the card agree on every count', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(unsignedEx.blocks);
    const r = await encodeCard(card, unsignedEx.input);
    const c = card.counters;
    expect([r.operations, r.auths, r.reads, r.writes, r.reactivations]).toEqual([c.operations, c.auths, c.reads, c.writes, c.reactivations]);
    expect(r.failedAuths).toBe(c.refused);
  });
});

describe('UID kinds', () => {
  it('a random-ID card is refused before any command, saying why', async () => {
    const card = new VirtualMifareClassic1K('04112233445566', { uidKind: 'random-id' });
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e).toBeInstanceOf(EncodeError);
    expect(e.code).toBe('RANDOM_ID');
    expect(e.message).toMatch(/random ID .*keys derive from the UID/);
    expect(card.counters.operations).toBe(0);
  });

  it('a card whose UID changes at re-activation is refused with UID_CHANGED', async () => {
    // A finished card (one re-activation needed) behind a reader that reports another UID after the reset.
    const inner = VirtualMifareClassic1K.fromBlocks(unsignedEx.blocks);
    const card: MifareClassicCard = {
      uid: inner.uid,
      authenticate: (b, t, k) => inner.authenticate(b, t, k),
      readBlock: (b) => inner.readBlock(b),
      writeBlock: (b, d) => inner.writeBlock(b, d),
      reactivate: async () => {
        await inner.reactivate();
        throw new CardError('UID_CHANGED', 'after re-activation the card answers with UID 08aabbcc');
      },
    };
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e.code).toBe('UID_CHANGED');
    expect(e.message).toMatch(/keys derive from the UID/);
    expect(inner.counters.writes).toBe(0);
  });

  it('a NUID card (4-byte, non-unique, fixed) encodes and reads like any 4-byte card', async () => {
    const card = new VirtualMifareClassic1K('1fa1b2c3', { uidKind: 'nuid' });
    const r = await encodeCard(card, unsignedEx.input);
    expect(r.failedAuths).toBe(0);
    expect(card.exportBlocks()[0].slice(0, 10)).toBe('1fa1b2c3' + (0x1f ^ 0xa1 ^ 0xb2 ^ 0xc3).toString(16).padStart(2, '0'));
  });
});

describe('a dead sector: torn trailer of ours (SECTOR_LOCKED) or another issuer (FOREIGN_CARD)', () => {
  const withTrailer = (blocks: string[], t: number, hex: string) => Object.assign([...blocks], { [t]: hex });
  const foreign = '112233445566' + '787788' + '00' + '1122334455aa';

  it('the top sector dead on an otherwise blank card with an empty block 4: foreign', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(withTrailer(new VirtualMifareClassic1K(unsignedEx.uid).exportBlocks(), 15, foreign));
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e.code).toBe('FOREIGN_CARD');
  });

  it('the top sector dead after our record was committed to block 4 (the first trailer write torn): SECTOR_LOCKED naming it', async () => {
    const blank = new VirtualMifareClassic1K(unsignedEx.uid).exportBlocks();
    const blocks = withTrailer(blank, 15, foreign);
    for (const b of [4, 5, 6, 8, 9, 10, 12, 13, 14]) blocks[b] = unsignedEx.blocks[b];
    const card = VirtualMifareClassic1K.fromBlocks(blocks);
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e.code).toBe('SECTOR_LOCKED');
    expect(e.block).toBe(15);
    expect(e.message).toMatch(/sector 3 .*torn.*discard/);
    expect(card.counters.writes).toBe(0);
  });

  it('sector 1 dead on a finished card of ours (sector 0 already ours): not where a torn write leaves it, so foreign', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(withTrailer(unsignedEx.blocks, 7, foreign));
    const e = (await encodeCard(card, unsignedEx.input).catch((x: unknown) => x)) as EncodeError;
    expect(e.code).toBe('FOREIGN_CARD');
  });
});
