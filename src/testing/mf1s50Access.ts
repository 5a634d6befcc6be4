/**
 * The memory-access rules of the virtual MIFARE Classic (NXP MF1S50yyX/V1 datasheet rev. 3.2,
 * section 8.7 "Memory access"), as pure functions of a sector trailer and the authenticated key:
 * - 8.7.1: the access bits are verified on every access; a format violation (inverted copies not
 *   matching) blocks the whole sector irreversibly (conditionsOf returns undefined);
 * - Table 7: what each key may read and write of the sector trailer; key A always reads as zeros
 *   (8.6.3); a trailer write changes only the parts the key may write;
 * - Table 8: what each key may read and write of a data block;
 * - Table 8 note [1]: where key B is readable it "cannot serve for authentication": every memory
 *   access after an authentication with it is refused.
 */
import type { KeyType } from '../transport/card.js';
import { accessBitsValid, dataBlockPermissions, decodeAccessBits, trailerPermissions, type AccessConditions } from '../card/accessBits.js';

const BLOCK = 16;

/** Conditions of blocks 0-3, or undefined when the inverted copies fail (sector blocked, 8.7.1). */
export function conditionsOf(trailer: Uint8Array): AccessConditions | undefined {
  const bits = trailer.subarray(6, 9);
  return accessBitsValid(bits) ? decodeAccessBits(bits) : undefined;
}

/** True when key B is readable under these conditions, so it serves for no access (Table 8 note [1]). */
export function keyBUnusable(conditions: AccessConditions, keyType: KeyType): boolean {
  return keyType === 'B' && trailerPermissions(...conditions[3]).keyBReadable;
}

/**
 * What a read of block `offset` (0-3) of a sector returns to `keyType`, or undefined when refused.
 * A trailer read never fails: the parts the key may not read are zeros (Table 7, 8.6.3).
 */
export function readView(stored: Uint8Array, conditions: AccessConditions, offset: number, keyType: KeyType): Uint8Array | undefined {
  if (offset !== 3) return dataBlockPermissions(...conditions[offset]).read[keyType] ? stored.slice() : undefined;
  const t = trailerPermissions(...conditions[3]);
  const data = new Uint8Array(BLOCK); // key A always reads as zeros
  if (t.accessBits.read[keyType]) data.set(stored.subarray(6, 10), 6);
  if (t.keyB.read[keyType]) data.set(stored.subarray(10, 16), 10);
  return data;
}

/** Which bytes of block `offset` a write by `keyType` changes, or undefined when it changes none (refused). */
export function writeMask(conditions: AccessConditions, offset: number, keyType: KeyType): boolean[] | undefined {
  if (offset !== 3) return dataBlockPermissions(...conditions[offset]).write[keyType] ? new Array<boolean>(BLOCK).fill(true) : undefined;
  const t = trailerPermissions(...conditions[3]);
  const mask = new Array<boolean>(BLOCK).fill(false);
  mask.fill(t.keyA.write[keyType], 0, 6);
  mask.fill(t.accessBits.write[keyType], 6, 10); // the GPB (byte 9) goes with the access bits (8.6.3)
  mask.fill(t.keyB.write[keyType], 10, 16);
  return mask.some(Boolean) ? mask : undefined;
}
