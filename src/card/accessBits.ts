/**
 * MIFARE Classic access bits (NXP MF1S50yyX datasheet, section 8.7 "Access conditions", Fig 10
 * "Access conditions" byte layout, Table 7 "Access conditions for the sector trailer", Table 8
 * "Access conditions for data blocks"), as spec section 3 fixes them:
 *
 *   byte 6 = ~C2 << 4 | ~C1      byte 7 = C1 << 4 | ~C3      byte 8 = C3 << 4 | C2
 *
 * where Cn is the 4-bit value whose bit i is block i's Cn. Every condition is stored twice, once
 * inverted; a chip that finds the copies disagree blocks the sector for ever (datasheet 8.7.1,
 * "Remark"), so the encoder refuses anything that would not pass the check, and the decoder
 * checks both copies (spec section 3).
 */
import { fail } from '../codec/errors.js';
import { toHex } from '../codec/hex.js';
import { needBytes } from '../codec/guard.js';

export type Bit = 0 | 1;
/** The three access bits (C1, C2, C3) of one block. */
export type Condition = readonly [Bit, Bit, Bit];
/** Conditions of blocks 0, 1, 2 (data) and 3 (trailer) of one sector. */
export type AccessConditions = readonly [Condition, Condition, Condition, Condition];

function isBit(x: unknown): x is Bit {
  return x === 0 || x === 1;
}

function checkConditions(conds: unknown): asserts conds is AccessConditions {
  const ok =
    Array.isArray(conds) &&
    conds.length === 4 &&
    conds.every((c) => Array.isArray(c) && c.length === 3 && c.every(isBit));
  if (!ok) fail('INVALID_ACCESS_BITS', 'access conditions must be four [c1, c2, c3] triples of 0 or 1');
}

/** True when the three access bytes carry matching inverted copies. */
export function accessBitsValid(bytes: Uint8Array): boolean {
  needBytes('accessBitsValid', 'bytes', bytes);
  if (bytes.length < 3) return false;
  const notC1 = bytes[0] & 0x0f;
  const notC2 = bytes[0] >> 4;
  const notC3 = bytes[1] & 0x0f;
  const c1 = bytes[1] >> 4;
  const c2 = bytes[2] & 0x0f;
  const c3 = bytes[2] >> 4;
  return (notC1 ^ c1) === 0x0f && (notC2 ^ c2) === 0x0f && (notC3 ^ c3) === 0x0f;
}

/**
 * Decodes trailer bytes 6-8 (the first three bytes given) into the four block conditions.
 * Throws INVALID_ACCESS_BITS when an inverted copy does not match (spec section 3).
 */
export function decodeAccessBits(bytes: Uint8Array): AccessConditions {
  needBytes('decodeAccessBits', 'bytes', bytes);
  if (bytes.length < 3) fail('INVALID_ACCESS_BITS', `access bits need 3 bytes, got ${bytes.length}`);
  if (!accessBitsValid(bytes)) {
    fail('INVALID_ACCESS_BITS', `access bytes ${toHex(bytes.subarray(0, 3))} fail the inverted-copy check`);
  }
  const c1 = bytes[1] >> 4;
  const c2 = bytes[2] & 0x0f;
  const c3 = bytes[2] >> 4;
  const block = (i: number): Condition => [((c1 >> i) & 1) as Bit, ((c2 >> i) & 1) as Bit, ((c3 >> i) & 1) as Bit];
  return [block(0), block(1), block(2), block(3)];
}

/**
 * Encodes four block conditions into the three access bytes. Anything but four triples of 0/1
 * fails with INVALID_ACCESS_BITS, and the result is decoded again before it is returned, so no
 * caller can obtain bytes that would lock a sector.
 */
export function encodeAccessBits(conditions: AccessConditions): Uint8Array {
  checkConditions(conditions);
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  for (let i = 0; i < 4; i++) {
    c1 |= conditions[i][0] << i;
    c2 |= conditions[i][1] << i;
    c3 |= conditions[i][2] << i;
  }
  const out = new Uint8Array([((~c2 & 0x0f) << 4) | (~c1 & 0x0f), (c1 << 4) | (~c3 & 0x0f), (c3 << 4) | c2]);
  decodeAccessBits(out); // the inverted-copy check, once more, on the bytes that would be written
  return out;
}

/** Which keys may do an operation. */
export interface KeyRights {
  A: boolean;
  B: boolean;
}

/** Rights on a data block (datasheet Table 8). `decrement` covers decrement, transfer and restore. */
export interface DataBlockPermissions {
  read: KeyRights;
  write: KeyRights;
  increment: KeyRights;
  decrement: KeyRights;
  /** Datasheet Table 8 "Application" column. */
  application: 'transport configuration' | 'read/write block' | 'value block';
}

/** Rights on the parts of a sector trailer (datasheet Table 7). Key A is never readable. */
export interface TrailerPermissions {
  keyA: { read: KeyRights; write: KeyRights };
  accessBits: { read: KeyRights; write: KeyRights };
  keyB: { read: KeyRights; write: KeyRights };
  /**
   * Key B is readable (rows 000, 010, 001, grey in Table 7). Then key B "cannot serve for
   * authentication": the card refuses every memory access after authenticating with it (Table 7
   * and Table 8 footnote [1]).
   */
  keyBReadable: boolean;
}

type Who = 'never' | 'A' | 'B' | 'AB';
const r = (w: Who): KeyRights => ({ A: w === 'A' || w === 'AB', B: w === 'B' || w === 'AB' });

function index(c1: number, c2: number, c3: number): number {
  if (!isBit(c1) || !isBit(c2) || !isBit(c3)) fail('INVALID_ACCESS_BITS', `condition bits must be 0 or 1, got ${c1}${c2}${c3}`);
  return (c1 << 2) | (c2 << 1) | c3;
}

// Datasheet Table 8, rows indexed by C1 C2 C3 as a binary number: read, write, increment,
// decrement/transfer/restore, application.
const DATA_TABLE: readonly (readonly [Who, Who, Who, Who, DataBlockPermissions['application']])[] = [
  /* 000 */ ['AB', 'AB', 'AB', 'AB', 'transport configuration'],
  /* 001 */ ['AB', 'never', 'never', 'AB', 'value block'],
  /* 010 */ ['AB', 'never', 'never', 'never', 'read/write block'],
  /* 011 */ ['B', 'B', 'never', 'never', 'read/write block'],
  /* 100 */ ['AB', 'B', 'never', 'never', 'read/write block'],
  /* 101 */ ['B', 'never', 'never', 'never', 'read/write block'],
  /* 110 */ ['AB', 'B', 'B', 'AB', 'value block'],
  /* 111 */ ['never', 'never', 'never', 'never', 'read/write block'],
];

// Datasheet Table 7, rows indexed by C1 C2 C3: key A write, access bits read, access bits write,
// key B read, key B write. Key A read is "never" in every row.
const TRAILER_TABLE: readonly (readonly [Who, Who, Who, Who, Who])[] = [
  /* 000 */ ['A', 'A', 'never', 'A', 'A'],
  /* 001 */ ['A', 'A', 'A', 'A', 'A'],
  /* 010 */ ['never', 'A', 'never', 'A', 'never'],
  /* 011 */ ['B', 'AB', 'B', 'never', 'B'],
  /* 100 */ ['B', 'AB', 'never', 'never', 'B'],
  /* 101 */ ['never', 'AB', 'B', 'never', 'never'],
  /* 110 */ ['never', 'AB', 'never', 'never', 'never'],
  /* 111 */ ['never', 'AB', 'never', 'never', 'never'],
];

/**
 * Who may read, write, increment and decrement a data block under conditions (c1, c2, c3)
 * (datasheet Table 8). Pass `keyBReadable` (from the sector's trailer conditions) to apply
 * footnote [1]: key B then grants nothing.
 */
export function dataBlockPermissions(c1: number, c2: number, c3: number, keyBReadable = false): DataBlockPermissions {
  const [read, write, inc, dec, application] = DATA_TABLE[index(c1, c2, c3)];
  const p = { read: r(read), write: r(write), increment: r(inc), decrement: r(dec), application };
  if (keyBReadable) for (const k of ['read', 'write', 'increment', 'decrement'] as const) p[k].B = false;
  return p;
}

/** Who may read and write each part of the sector trailer under (c1, c2, c3) (datasheet Table 7). */
export function trailerPermissions(c1: number, c2: number, c3: number): TrailerPermissions {
  const i = index(c1, c2, c3);
  const [aWrite, acRead, acWrite, bRead, bWrite] = TRAILER_TABLE[i];
  return {
    keyA: { read: r('never'), write: r(aWrite) },
    accessBits: { read: r(acRead), write: r(acWrite) },
    keyB: { read: r(bRead), write: r(bWrite) },
    keyBReadable: bRead !== 'never',
  };
}

function who(k: KeyRights): string {
  return k.A && k.B ? 'AB' : k.A ? 'A' : k.B ? 'B' : '';
}

/**
 * One line describing a data block's rights, in the wording the Proxmark3 client prints
 * ("read AB; write B"; "none" when nothing is allowed), so a dump can be compared with its output.
 */
export function describeDataBlock(c1: number, c2: number, c3: number): string {
  const p = dataBlockPermissions(c1, c2, c3);
  const parts: string[] = [];
  for (const [name, k] of [['read', p.read], ['write', p.write], ['increment', p.increment], ['decrement transfer restore', p.decrement]] as const) {
    if (who(k)) parts.push(`${name} ${who(k)}`);
  }
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * One line describing a trailer's rights in the Proxmark3 wording ("write A by B; read ACCESS by
 * AB; ..."). Derived from Table 7; for row 000 Proxmark3 prints "read A by A" where the datasheet
 * says key A is never readable, and this function follows the datasheet.
 */
export function describeTrailer(c1: number, c2: number, c3: number): string {
  const p = trailerPermissions(c1, c2, c3);
  const parts: string[] = [];
  const part = (name: string, rd: KeyRights, wr: KeyRights) => {
    if (who(rd) && who(rd) === who(wr)) parts.push(`read/write ${name} by ${who(rd)}`);
    else {
      if (who(rd)) parts.push(`read ${name} by ${who(rd)}`);
      if (who(wr)) parts.push(`write ${name} by ${who(wr)}`);
    }
  };
  part('A', p.keyA.read, p.keyA.write);
  part('ACCESS', p.accessBits.read, p.accessBits.write);
  part('B', p.keyB.read, p.keyB.write);
  return parts.length ? parts.join('; ') : 'none';
}

/**
 * The conditions read from the non-inverted copies only (bytes 7 high nibble, 8), without the
 * inverted-copy check: for describing what a dump holds, as dump tools print it, even when
 * the bytes are invalid. Never use it to decide what a card allows.
 */
export function rawAccessConditions(bytes: Uint8Array): AccessConditions {
  needBytes('rawAccessConditions', 'bytes', bytes);
  const c1 = bytes[1] >> 4;
  const c2 = bytes[2] & 0x0f;
  const c3 = bytes[2] >> 4;
  const block = (i: number): Condition => [((c1 >> i) & 1) as Bit, ((c2 >> i) & 1) as Bit, ((c3 >> i) & 1) as Bit];
  return [block(0), block(1), block(2), block(3)];
}
