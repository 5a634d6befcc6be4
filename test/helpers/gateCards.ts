/**
 * Virtual cards for gate tests: a blank virtual MIFARE Classic 1K with an HMSK sector 1 whose
 * block 4 holds a given gate block. Sector 1 trailer built by hand from spec section 3: key A =
 * KDF(read master, UID, 1, 'A'), access bits 78 77 88, GPB 00, key B = KDF(write master, UID, 1, 'B').
 */
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import { deriveKey } from '../../src/card/kdf.js';
import { toHex } from '../../src/codec/hex.js';

export const READ_MASTER = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
export const WRITE_MASTER = Uint8Array.from(Buffer.from('f0e0d0c0b0a090807060504030201000', 'hex'));

export function uidOf(n: number): Uint8Array {
  // 4-byte UIDs 0x04 xx xx xx (NXP's manufacturer byte), distinct per n < 2^24.
  return Uint8Array.of(0x04, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

export function hmskCard(uid: Uint8Array, gateBlockHex: string, readMaster = READ_MASTER): VirtualMifareClassic1K {
  const card = new VirtualMifareClassic1K(uid);
  const blocks = card.exportBlocks();
  blocks[4] = gateBlockHex.toLowerCase();
  blocks[7] = toHex(deriveKey(readMaster, uid, 1, 'A')) + '787788' + '00' + toHex(deriveKey(WRITE_MASTER, uid, 1, 'B'));
  card.importBlocks(blocks);
  return card;
}
