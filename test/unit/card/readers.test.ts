/**
 * The readers and voiding (spec sections 2, 3 "Voiding a card", 5 "Verifying a card read in
 * full") on virtual cards holding the spec's `card` examples. The gate read is counted on the card
 * itself: exactly one authentication and one read.
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { gateRead, fullRead } from '../../../src/card/readers.js';
import { voidCard } from '../../../src/card/void.js';
import { CardError } from '../../../src/transport/card.js';
import { HmskError } from '../../../src/codec/errors.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { fromHex as hex } from '../../helpers/hex.js';

const examples = cardExamples();
const signedEx = examples.find((e) => e.id === 'card-signed-4-byte-uid')!;
const unsignedEx = examples.find((e) => e.id === 'card-unsigned-7-byte-uid')!;
// Public key of the signed example: the verify-card example of the spec (RFC 8032 test 1 key).
const PUBLIC_KEYS = { '1': hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a') };

/** CRC-16/CCITT-FALSE, bitwise, from the spec's parameters (check value 0x29B1 asserted below). */
function crc16(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('gate read', () => {
  it('is exactly one authentication and one read of block 4', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks, { log: true });
    const r = await gateRead(card, signedEx.readMaster);
    expect(card.counters).toEqual({ operations: 2, auths: 1, reads: 1, writes: 0, refused: 0, silent: 0, reactivations: 0 });
    expect(card.log.map((o) => [o.op, o.block, o.keyType])).toEqual([['auth', 4, 'A'], ['read', 4, undefined]]);
    // The example holder's gate fields (spec section 2: card number without leading zeros).
    expect(r.holder).toEqual({ category: 'construction', cardNumber: '123456', orgNumber: '974760673', expiry: '2028-06-30', issue: 0 });
    expect(Buffer.from(r.gateBlock).toString('hex')).toBe(signedEx.blocks[4]);
  });

  it('decodes the 7-byte-UID example (leading zeros of "000000004711" dropped)', async () => {
    const r = await gateRead(VirtualMifareClassic1K.fromBlocks(unsignedEx.blocks), unsignedEx.readMaster);
    expect(r.holder).toEqual({ category: 'cleaning', cardNumber: '4711', orgNumber: '923609016', expiry: '2027-01-15', issue: 2 });
  });

  it('fails on a blank card (AUTH_FAILED) and with the wrong read master', async () => {
    await expect(gateRead(new VirtualMifareClassic1K(signedEx.uid), signedEx.readMaster)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const e = await gateRead(VirtualMifareClassic1K.fromBlocks(signedEx.blocks), new Uint8Array(16)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CardError);
    expect((e as CardError).authFailed).toBe(true);
  });

  it('reports a corrupted gate block as BAD_CRC', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    card.corruptRead(2, 9, 0x01);
    await expect(gateRead(card, signedEx.readMaster)).rejects.toMatchObject({ code: 'BAD_CRC' });
  });
});

describe('full read (section 5)', () => {
  it('the signed example verifies with its public key: holder of the verify-card example, signature valid', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    const r = await fullRead(card, { readMaster: signedEx.readMaster, publicKeys: PUBLIC_KEYS });
    expect(r.error).toBeUndefined();
    expect(r.signature).toBe('valid');
    expect(r.keyId).toBe(1);
    expect(r.holder).toEqual({
      category: 'construction', cardNumber: '123456', orgNumber: '974760673', expiry: '2028-06-30', issue: 0,
      birthDate: '1985-04-17', gender: 'F', givenName: 'Kari Ærlig', familyName: 'Østby-Hågensen', orgName: 'Brønnøysund Bygg AS',
      signed: true, truncated: false,
    });
    expect(r.mad?.aids.slice(0, 5)).toEqual([0x4b48, 0x4b48, 0x4b48, 0x4b49, 0x4b49]);
    // Trailers as the chip shows them: key A zeros, access bits 78 77 88, key B not readable.
    expect(Buffer.from(r.blocks[7]).toString('hex')).toBe('000000000000' + '787788' + '00' + '000000000000');
  });

  it('an unknown key id is UNKNOWN_KEY; an unsigned card is "absent"', async () => {
    const signed = await fullRead(VirtualMifareClassic1K.fromBlocks(signedEx.blocks), { readMaster: signedEx.readMaster });
    expect(signed.error?.code).toBe('UNKNOWN_KEY');
    const unsigned = await fullRead(VirtualMifareClassic1K.fromBlocks(unsignedEx.blocks), { readMaster: unsignedEx.readMaster });
    expect(unsigned.signature).toBe('absent');
    expect(unsigned.holder?.cardNumber).toBe('4711');
    expect(unsigned.operations).toBe(4 * 5); // sectors 0-3: one authentication and four reads each
  });

  it('a damaged MAD is BAD_MAD_CRC; a flipped record byte is BAD_CRC', async () => {
    const mad = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    mad.corruptRead(3, 5, 0x10); // sector 0: auth, block 0, block 1 <- corrupted
    expect((await fullRead(mad, { readMaster: signedEx.readMaster, publicKeys: PUBLIC_KEYS })).error?.code).toBe('BAD_MAD_CRC');
    const blocks = [...signedEx.blocks];
    blocks[9] = '21' + blocks[9].slice(2); // record byte 80 changed: CRC-32 no longer matches
    const rec = await fullRead(VirtualMifareClassic1K.fromBlocks(blocks), { readMaster: signedEx.readMaster, publicKeys: PUBLIC_KEYS });
    expect(rec.error).toBeInstanceOf(HmskError);
    expect(rec.error?.code).toBe('BAD_CRC');
  });
});

describe('voidCard (section 3, "Voiding a card")', () => {
  it('rewrites block 4 only: category nibble F and a new CRC-16', async () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x29b1);
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks, { log: true });
    const r = await voidCard(card, { writeMaster: signedEx.writeMaster });
    // By hand: block 4 = 48 11 00 00 01 e2 40 3a 19 aa e1 28 a8 00 | ff 8d; byte 1 becomes 0x1F.
    const expected = hex(signedEx.blocks[4]);
    expected[1] = 0x1f;
    const crc = crc16(expected.subarray(0, 14));
    expected[14] = crc >> 8;
    expected[15] = crc & 0xff;
    const after = card.exportBlocks();
    expect(after[4]).toBe(Buffer.from(expected).toString('hex'));
    expect(after.filter((b, i) => b !== signedEx.blocks[i]).length).toBe(1);
    expect(card.log.filter((o) => o.op === 'write').map((o) => o.block)).toEqual([4]);
    expect(r.after).toBe(after[4]);
    expect((await gateRead(card, signedEx.readMaster)).holder.category).toBe('void');
  });

  it('needs the write master', async () => {
    const card = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    await expect(voidCard(card, { writeMaster: signedEx.readMaster })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('reads block 4 back and says so when the write did not stick', async () => {
    // A card (or reader) that acknowledges a write without storing it: the void must not be
    // reported as done.
    const inner = VirtualMifareClassic1K.fromBlocks(signedEx.blocks);
    const card = {
      get uid() {
        return inner.uid;
      },
      authenticate: inner.authenticate.bind(inner),
      readBlock: inner.readBlock.bind(inner),
      writeBlock: async () => {},
      reactivate: async () => inner.reinsert(),
    };
    const e = await voidCard(card, { writeMaster: signedEx.writeMaster }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CardError);
    expect(e).toMatchObject({ code: 'IO', block: 4, sector: 1 });
    expect(inner.exportBlocks()[4]).toBe(signedEx.blocks[4]);
  });
});
