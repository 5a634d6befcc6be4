/**
 * The virtual MIFARE Classic's UID kinds (NXP AN10927; MF1S50yyX/V1 section 10) and its torn-write
 * fault injection (a write cut part-way: a mix of old and new bytes; a torn trailer whose access
 * bits fail the inverted-copy check locks the sector, datasheet 8.7.1).
 */
import { describe, expect, it } from 'vitest';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import type { CardError } from '../../../src/transport/card.js';
import { toHex as hex } from '../../helpers/hex.js';

const FF6 = new Uint8Array(6).fill(0xff);
/** A deterministic byte source: 1, 2, 3, ... */
function counter() {
  let n = 0;
  return (k: number) => Uint8Array.from({ length: k }, () => ++n & 0xff);
}

describe('UID kinds', () => {
  it('fixed 4- and 7-byte UIDs are reported at every activation and stored in block 0', async () => {
    for (const uid of ['04a1b2c3', '04112233445566']) {
      const card = new VirtualMifareClassic1K(uid);
      await card.reactivate();
      card.reinsert();
      expect(hex(card.uid)).toBe(uid);
      expect(card.exportBlocks()[0].startsWith(uid)).toBe(true);
    }
  });

  it('random ID: 08 and three new bytes at every activation (re-activation, re-insert); block 0 keeps the fixed UID', async () => {
    const card = new VirtualMifareClassic1K('04112233445566', { uidKind: 'random-id', random: counter() });
    expect(hex(card.uid)).toBe('08010203');
    const e = (await card.reactivate().catch((x: unknown) => x)) as CardError;
    expect(e.code).toBe('UID_CHANGED');
    expect(hex(card.uid)).toBe('08040506');
    card.remove();
    card.reinsert();
    expect(hex(card.uid)).toBe('08070809');
    expect(card.exportBlocks()[0]).toBe('04112233445566084400626364656667');
    // Presenting it on a reader is an activation too.
    const reader = new VirtualCardReader();
    reader.present(card);
    expect(hex(card.uid)).toBe('080a0b0c');
    await reader.close();
  });

  it('random IDs from the platform CSPRNG all start with 08', () => {
    for (let i = 0; i < 20; i++) expect(new VirtualMifareClassic1K('04a1b2c3', { uidKind: 'random-id' }).uid[0]).toBe(0x08);
  });

  it('NUID: 4 bytes, the same at every activation, in block 0 with its BCC; 7 bytes or a leading 08 are refused', async () => {
    const card = new VirtualMifareClassic1K('1fa1b2c3', { uidKind: 'nuid' });
    await card.reactivate();
    expect(hex(card.uid)).toBe('1fa1b2c3');
    expect(card.exportBlocks()[0].slice(0, 10)).toBe('1fa1b2c3cf'); // BCC 1f^a1^b2^c3 = cf
    expect(() => new VirtualMifareClassic1K('04112233445566', { uidKind: 'nuid' })).toThrow(/NUID is 4 bytes/);
    expect(() => new VirtualMifareClassic1K('08a1b2c3', { uidKind: 'nuid' })).toThrow(/0x08/);
    expect(() => new VirtualMifareClassic1K('04a1b2', {})).toThrow(/4 or 7 bytes/);
  });
});

describe('torn writes', () => {
  it('a data block torn after byte c holds new bytes 0..c-1 and old bytes c..15; the card has left the field', async () => {
    for (let c = 0; c <= 16; c++) {
      const card = new VirtualMifareClassic1K();
      await card.authenticate(4, 'A', FF6);
      await card.writeBlock(4, new Uint8Array(16).fill(0x11));
      card.tearWrite(1, c);
      const e = (await card.writeBlock(4, new Uint8Array(16).fill(0x22)).catch((x: unknown) => x)) as CardError;
      expect(e.code).toBe('CARD_REMOVED');
      expect(card.present).toBe(false);
      expect(hex(card.peek(4))).toBe('22'.repeat(c) + '11'.repeat(16 - c));
    }
  });

  it('a tear mask picks any bytes; a tear aimed at a read does nothing', async () => {
    const card = new VirtualMifareClassic1K();
    await card.authenticate(4, 'A', FF6);
    card.tearWrite(1, [...Array(16).keys()].map((i) => i % 2 === 1));
    await card.readBlock(4);
    await card.writeBlock(4, new Uint8Array(16).fill(0x33));
    expect(card.present).toBe(true);
    card.tearWrite(1, [...Array(16).keys()].map((i) => i % 2 === 1));
    await card.writeBlock(5, new Uint8Array(16).fill(0x44)).catch(() => undefined);
    expect(hex(card.peek(5))).toBe('0044'.repeat(8));
  });

  it('a torn trailer: cut inside the access bits locks the sector for ever; cut inside a key leaves a mixed key', async () => {
    // Transport trailer -> keys 5A.., access bits 78 77 88 (spec section 3), key B 5B..: written with the transport key A.
    const next = Uint8Array.from([...new Array(6).fill(0x5a), 0x78, 0x77, 0x88, 0x00, ...new Array(6).fill(0x5b)]);
    const locked: number[] = [];
    for (let c = 1; c < 16; c++) {
      const card = new VirtualMifareClassic1K();
      await card.authenticate(7, 'A', FF6);
      card.tearWrite(1, c);
      await card.writeBlock(7, next).catch(() => undefined);
      card.reinsert();
      if (card.isSectorBlocked(1)) {
        locked.push(c);
        expect((await card.authenticate(4, 'A', card.peek(7).subarray(0, 6)).catch((x: CardError) => x.code))).toBe('AUTH_FAILED');
      }
      expect(hex(card.peek(7))).toBe(hex(next).slice(0, 2 * c) + 'ffffffffffffff078069ffffffffffff'.slice(2 * c));
    }
    // FF 07 80 -> 78 77 88: cut after byte 6 gives 78 07 80, after byte 7 gives 78 77 80: both fail the check.
    expect(locked).toEqual([7, 8]);
  });
});
