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
 *
 * sectorRules decodes all of it at once; SectorRulesCache keeps the result per sector and decodes
 * again only when the trailer's access bytes change. Decoding on every authentication, read and
 * write cost about 1.8 KB per authentication + read (issue 14 item 4, bench/cases/gate.ts).
 */
import type { KeyType } from '../transport/card.js';
import { bytesEqual } from '../codec/hex.js';
import { accessBitsValid, dataBlockPermissions, decodeAccessBits, trailerPermissions, type AccessConditions } from '../card/accessBits.js';

const BLOCK = 16;

/** One sector's access rules, decoded from its trailer; read-only, shared by every access. */
export interface SectorRules {
  readonly conditions: AccessConditions;
  /** Key B is readable, so it serves for no access (Table 8 note [1]). */
  readonly keyBUnusable: boolean;
  /** Per key: may it read data block 0, 1, 2 (Table 8)? The trailer (3) is always readable. */
  readonly read: Readonly<Record<KeyType, readonly boolean[]>>;
  /** Per key, per block 0-3: writeMask, computed once (callers only read it). */
  readonly write: Readonly<Record<KeyType, readonly (readonly boolean[] | undefined)[]>>;
}

/** Conditions of blocks 0-3, or undefined when the inverted copies fail (sector blocked, 8.7.1). */
export function conditionsOf(trailer: Uint8Array): AccessConditions | undefined {
  const bits = trailer.subarray(6, 9);
  return accessBitsValid(bits) ? decodeAccessBits(bits) : undefined;
}

/** The sector's rules, or undefined when its access bits fail the check (sector blocked, 8.7.1). */
export function sectorRules(trailer: Uint8Array): SectorRules | undefined {
  const conditions = conditionsOf(trailer);
  if (!conditions) return undefined;
  const readable = (k: KeyType) => [0, 1, 2].map((o) => dataBlockPermissions(...conditions[o]).read[k]);
  const writable = (k: KeyType) => [0, 1, 2, 3].map((o) => writeMask(conditions, o, k));
  return {
    conditions,
    keyBUnusable: keyBUnusable(conditions, 'B'),
    read: { A: readable('A'), B: readable('B') },
    write: { A: writable('A'), B: writable('B') },
  };
}

/**
 * Each sector's rules as its trailer in `memory` (64 blocks) holds them now (undefined: blocked,
 * 8.7.1). The chip checks the access bits on every access (8.7.1); decoding them only when bytes
 * 6-8 differ from the ones last decoded gives the same answer, and as the bytes are compared on
 * every call, no write (torn ones included) and no import can leave a stale entry.
 */
export class SectorRulesCache {
  private readonly bits = new Int32Array(16).fill(-1);
  private readonly rules: (SectorRules | undefined)[] = new Array<SectorRules | undefined>(16).fill(undefined);

  constructor(private readonly memory: Uint8Array) {}

  of(sector: number): SectorRules | undefined {
    const at = (sector * 4 + 3) * BLOCK;
    const m = this.memory;
    const bits = (m[at + 6] << 16) | (m[at + 7] << 8) | m[at + 8];
    if (this.bits[sector] !== bits) {
      this.rules[sector] = sectorRules(m.subarray(at, at + BLOCK));
      this.bits[sector] = bits;
    }
    return this.rules[sector];
  }
}

/** Key `keyType` of the sector's trailer in `memory` (bytes 0-5 or 10-15) equals `key` (6 bytes, checked before). */
export function keyMatches(memory: Uint8Array, sector: number, keyType: KeyType, key: Uint8Array): boolean {
  const at = (sector * 4 + 3) * BLOCK + (keyType === 'A' ? 0 : 10);
  // Compared in place, not through a subarray (an object per authentication); anything but a
  // Uint8Array gets bytesEqual's typed error, as before.
  if (!(key instanceof Uint8Array)) return bytesEqual(memory.subarray(at, at + 6), key);
  for (let i = 0; i < 6; i++) if (memory[at + i] !== key[i]) return false;
  return true;
}

/** True when key B is readable under these conditions, so it serves for no access (Table 8 note [1]). */
export function keyBUnusable(conditions: AccessConditions, keyType: KeyType): boolean {
  return keyType === 'B' && trailerPermissions(...conditions[3]).keyBReadable;
}

/**
 * What a read of the sector trailer returns to `keyType`. It never fails: the parts the key may not
 * read are zeros (Table 7, 8.6.3). Data blocks: SectorRules.read says whether, and the bytes are
 * the stored ones.
 */
export function trailerView(stored: Uint8Array, conditions: AccessConditions, keyType: KeyType): Uint8Array {
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
