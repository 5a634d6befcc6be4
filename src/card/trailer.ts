/**
 * Sector trailers (MF1S50yyX datasheet section 8.6.3 "Sector trailer"; spec section 3):
 *
 *   bytes 0-5    key A
 *   bytes 6-8    access bits (accessBits.ts)
 *   byte 9       general purpose byte (GPB)
 *   bytes 10-15  key B
 *
 * buildTrailer checks the access bits before it returns a block, so no code path of this library
 * can hand a writer a trailer that would lock its sector for ever.
 */
import { decodeAccessBits, encodeAccessBits, type AccessConditions } from './accessBits.js';
import { deriveKey } from './kdf.js';
import {
  BLOCK_SIZE,
  GPB_HMSK,
  GPB_MAD,
  GPB_TRANSPORT,
  HMSK_ACCESS_BYTES,
  MAD_KEY_A,
  TRANSPORT_ACCESS_BYTES,
  TRANSPORT_KEY,
} from './layout.js';
import { argumentError, needBytes, needBytesOfLength, needInteger } from '../codec/guard.js';

export interface Trailer {
  keyA: Uint8Array;
  /** The three access bytes (trailer bytes 6-8). */
  accessBits: Uint8Array;
  gpb: number;
  keyB: Uint8Array;
}

/**
 * Builds a trailer block. `access` is either the three access bytes or four block conditions;
 * bytes that fail the inverted-copy check throw INVALID_ACCESS_BITS.
 */
export function buildTrailer(keyA: Uint8Array, access: Uint8Array | AccessConditions, gpb: number, keyB: Uint8Array): Uint8Array {
  needBytesOfLength('buildTrailer', 'keyA', keyA, [6]);
  if (!(access instanceof Uint8Array) && !Array.isArray(access)) throw argumentError('buildTrailer', 'access', 'access bytes (Uint8Array) or four [c1, c2, c3] conditions', access);
  needInteger('buildTrailer', 'gpb', gpb, 0, 255);
  needBytesOfLength('buildTrailer', 'keyB', keyB, [6]);
  const bytes = access instanceof Uint8Array ? access : encodeAccessBits(access);
  if (bytes.length !== 3) throw new RangeError(`access bits are 3 bytes, got ${bytes.length}`);
  decodeAccessBits(bytes);
  const t = new Uint8Array(BLOCK_SIZE);
  t.set(keyA, 0);
  t.set(bytes, 6);
  t[9] = gpb;
  t.set(keyB, 10);
  return t;
}

/** Splits a trailer block into its parts (access bits not checked: see decodeAccessBits). */
export function parseTrailer(block: Uint8Array): Trailer {
  needBytesOfLength('parseTrailer', 'block', block, [16]);
  if (block.length !== BLOCK_SIZE) throw new RangeError(`a trailer is 16 bytes, got ${block.length}`);
  return { keyA: block.slice(0, 6), accessBits: block.slice(6, 9), gpb: block[9], keyB: block.slice(10, 16) };
}

/** The trailer of a blank card: transport keys, access bits FF 07 80, GPB 0x69 (section 3). */
export function transportTrailer(): Uint8Array {
  return buildTrailer(TRANSPORT_KEY, TRANSPORT_ACCESS_BYTES, GPB_TRANSPORT, TRANSPORT_KEY);
}

/** The keys of one HMSK sector (section 3, "Keys"). Sector 0's key A is the public MAD key. */
export function hmskSectorKeys(sector: number, uid: Uint8Array, readMaster: Uint8Array, writeMaster: Uint8Array): { keyA: Uint8Array; keyB: Uint8Array } {
  needInteger('hmskSectorKeys', 'sector', sector, 0, 15);
  needBytes('hmskSectorKeys', 'uid', uid);
  needBytesOfLength('hmskSectorKeys', 'readMaster', readMaster, [16]);
  needBytesOfLength('hmskSectorKeys', 'writeMaster', writeMaster, [16]);
  const keyA = sector === 0 ? MAD_KEY_A.slice() : deriveKey(readMaster, uid, sector, 'A');
  return { keyA, keyB: deriveKey(writeMaster, uid, sector, 'B') };
}

/** The finished trailer of HMSK sector 0-5: diversified keys, 78 77 88, GPB 0xC1 / 0x00. */
export function hmskTrailer(sector: number, uid: Uint8Array, readMaster: Uint8Array, writeMaster: Uint8Array): Uint8Array {
  needInteger('hmskTrailer', 'sector', sector, 0, 15);
  needBytes('hmskTrailer', 'uid', uid);
  needBytesOfLength('hmskTrailer', 'readMaster', readMaster, [16]);
  needBytesOfLength('hmskTrailer', 'writeMaster', writeMaster, [16]);
  if (!Number.isInteger(sector) || sector < 0 || sector > 5) throw new RangeError(`HMSK sectors are 0-5, got ${sector}`);
  const { keyA, keyB } = hmskSectorKeys(sector, uid, readMaster, writeMaster);
  return buildTrailer(keyA, HMSK_ACCESS_BYTES, sector === 0 ? GPB_MAD : GPB_HMSK, keyB);
}
