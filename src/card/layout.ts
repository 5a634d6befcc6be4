/**
 * The MIFARE Classic 1K memory map of an HMS card (spec section 3, MF1S50yyX datasheet section
 * 8.6 "Memory organization"): 16 sectors of 4 blocks of 16 bytes, block 3 of each sector its
 * trailer (key A 6, access bits 3, GPB 1, key B 6).
 *
 *   sector 0      block 0 manufacturer data, blocks 1-2 MAD v1
 *   sectors 1-3   the 144-byte record in blocks 4,5,6, 8,9,10, 12,13,14 (block 4 = gate block)
 *   sectors 4-5   optional signature area (section 5) in blocks 16,17,18, 20,21,22
 *   sectors 6-15  never touched
 */
import type { Condition } from './accessBits.js';
import { needBytes, needInteger, needArray, needBoolean, needBlocks } from '../codec/guard.js';

export const BLOCK_SIZE = 16;
export const SECTORS = 16;
export const BLOCKS_PER_SECTOR = 4;
export const BLOCKS = SECTORS * BLOCKS_PER_SECTOR;
export const CARD_BYTES = BLOCKS * BLOCK_SIZE;

/** The gate block: record bytes 0-15, written last (the commit) and read by gates. */
export const GATE_BLOCK = 4;
/** Record bytes 16k .. 16k+15 live in RECORD_BLOCKS[k] (section 3). */
export const RECORD_BLOCKS: readonly number[] = [4, 5, 6, 8, 9, 10, 12, 13, 14];
/** Signature-area bytes 16k .. 16k+15 live in SIGNATURE_BLOCKS[k] (section 5). */
export const SIGNATURE_BLOCKS: readonly number[] = [16, 17, 18, 20, 21, 22];
export const MAD_BLOCKS: readonly [number, number] = [1, 2];
export const RECORD_SECTORS: readonly number[] = [1, 2, 3];
export const SIGNATURE_SECTORS: readonly number[] = [4, 5];

/** Sectors an HMSK card owns (the ones whose trailers it writes), sector 0 included. */
export function hmskSectors(signed: boolean): number[] {
  needBoolean('hmskSectors', 'signed', signed);
  return signed ? [0, 1, 2, 3, 4, 5] : [0, 1, 2, 3];
}

/** Transport key of a blank card: key A = key B = FF FF FF FF FF FF (section 3). */
export const TRANSPORT_KEY: Uint8Array = new Uint8Array(6).fill(0xff);
/** The public MAD key A of sector 0, A0 A1 A2 A3 A4 A5 (AN10787; section 3). */
export const MAD_KEY_A: Uint8Array = new Uint8Array([0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5]);

/** Data blocks (1,0,0): read with A or B, write with B (datasheet Table 8). */
export const HMSK_DATA_CONDITION: Condition = [1, 0, 0];
/** Trailer (0,1,1): keys writable with B, access bits readable with A|B, writable with B (Table 7). */
export const HMSK_TRAILER_CONDITION: Condition = [0, 1, 1];
/** Access bytes of every HMSK sector: 78 77 88 (section 3). */
export const HMSK_ACCESS_BYTES: Uint8Array = new Uint8Array([0x78, 0x77, 0x88]);
/** Access bytes of a blank card: FF 07 80 (transport configuration). */
export const TRANSPORT_ACCESS_BYTES: Uint8Array = new Uint8Array([0xff, 0x07, 0x80]);

/** GPB of sector 0: 0xC1 = MAD v1 on a multi-application card (AN10787; section 3). */
export const GPB_MAD = 0xc1;
/** GPB of HMSK sectors 1-5. */
export const GPB_HMSK = 0x00;
/** GPB of a blank card. */
export const GPB_TRANSPORT = 0x69;

export function sectorOf(block: number): number {
  needInteger('sectorOf', 'block', block, 0, 63);
  return Math.floor(block / BLOCKS_PER_SECTOR);
}

export function trailerBlock(sector: number): number {
  needInteger('trailerBlock', 'sector', sector, 0, 15);
  return sector * BLOCKS_PER_SECTOR + 3;
}

export function isTrailer(block: number): boolean {
  needInteger('isTrailer', 'block', block, 0, 63);
  return block % BLOCKS_PER_SECTOR === 3;
}

/** The first block of a sector. */
export function firstBlock(sector: number): number {
  needInteger('firstBlock', 'sector', sector, 0, 15);
  return sector * BLOCKS_PER_SECTOR;
}

/**
 * Block 0 of the blank card that vectors and virtual cards use (section 3): for a 4-byte UID,
 * UID, BCC (XOR of the UID bytes), SAK 08, ATQA 04 00, ASCII "bcdefghi"; for a 7-byte UID, UID,
 * SAK 08, ATQA 44 00, ASCII "bcdefg". The spec fixes no block 0 for 10-byte UIDs.
 */
export function manufacturerBlock(uid: Uint8Array): Uint8Array {
  needBytes('manufacturerBlock', 'uid', uid);
  const b = new Uint8Array(BLOCK_SIZE);
  b.set(uid);
  if (uid.length === 4) {
    b[4] = uid[0] ^ uid[1] ^ uid[2] ^ uid[3];
    b.set([0x08, 0x04, 0x00], 5);
    b.set(new TextEncoder().encode('bcdefghi'), 8);
  } else if (uid.length === 7) {
    b.set([0x08, 0x44, 0x00], 7);
    b.set(new TextEncoder().encode('bcdefg'), 10);
  } else {
    throw new RangeError(`section 3 defines block 0 for 4- and 7-byte UIDs only, got ${uid.length} bytes`);
  }
  return b;
}

/** Splits bytes into the blocks of a block list (record: 144 bytes, signature area: 96 bytes). */
export function spreadOverBlocks(bytes: Uint8Array, blockList: readonly number[]): Map<number, Uint8Array> {
  needBytes('spreadOverBlocks', 'bytes', bytes);
  needArray('spreadOverBlocks', 'blockList', blockList);
  if (bytes.length !== blockList.length * BLOCK_SIZE) throw new RangeError(`${bytes.length} bytes do not fill ${blockList.length} blocks`);
  const m = new Map<number, Uint8Array>();
  blockList.forEach((blk, k) => m.set(blk, bytes.slice(k * BLOCK_SIZE, (k + 1) * BLOCK_SIZE)));
  return m;
}

/** Joins the blocks of a block list from a 64-block image back into one byte string. */
export function gatherBlocks(blocks: readonly Uint8Array[], blockList: readonly number[]): Uint8Array {
  needBlocks('gatherBlocks', 'blocks', blocks);
  needArray('gatherBlocks', 'blockList', blockList);
  const out = new Uint8Array(blockList.length * BLOCK_SIZE);
  blockList.forEach((blk, k) => out.set(blocks[blk], k * BLOCK_SIZE));
  return out;
}
