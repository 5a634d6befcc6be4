/**
 * The issuer signature of spec section 5: 96 bytes in blocks 16, 17, 18, 20, 21, 22.
 *
 *   offset 0    0x53 ('S')
 *   offset 1    version 1
 *   offset 2    key id (1-255), names the issuer's public key
 *   offset 3    algorithm: 1 = Ed25519 (RFC 8032)
 *   offset 4    64-byte signature
 *   offset 68   24 zero bytes
 *   offset 92   CRC-32/ISO-HDLC of bytes 0-91, big-endian
 *
 * Signed message: ASCII "HMSK-SIG1" || len(UID) || UID || the 144 record bytes || key id. The UID
 * is bound in, so a record copied to another card does not verify.
 */
import { fail } from '../codec/errors.js';
import { crc32 } from '../codec/crc.js';
import { RECORD_LENGTH } from '../codec/recordLayout.js';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from './crypto.js';
import { needBytes, needBytesOfLength, needObject, needInteger } from '../codec/guard.js';

export const SIGNATURE_AREA_BYTES = 96;
export const SIGNATURE_TAG = 0x53;
export const SIGNATURE_VERSION = 1;
export const ALGORITHM_ED25519 = 1;

const MESSAGE_PREFIX = new TextEncoder().encode('HMSK-SIG1');

function checkKeyId(keyId: number): void {
  if (!Number.isInteger(keyId) || keyId < 1 || keyId > 255) throw new RangeError(`key id must be 1-255, got ${keyId}`);
}

/** The message that is signed (section 5). */
export function signedMessage(uid: Uint8Array, record: Uint8Array, keyId: number): Uint8Array {
  needBytes('signedMessage', 'uid', uid);
  needBytes('signedMessage', 'record', record);
  needInteger('signedMessage', 'keyId', keyId, 1, 255);
  if (record.length !== RECORD_LENGTH) throw new RangeError(`a record is ${RECORD_LENGTH} bytes, got ${record.length}`);
  const m = new Uint8Array(MESSAGE_PREFIX.length + 1 + uid.length + RECORD_LENGTH + 1);
  let o = 0;
  m.set(MESSAGE_PREFIX, o);
  o += MESSAGE_PREFIX.length;
  m[o++] = uid.length;
  m.set(uid, o);
  o += uid.length;
  m.set(record, o);
  o += RECORD_LENGTH;
  m[o] = keyId;
  return m;
}

/** Builds the 96-byte signature area for a record on a card, signing with a 32-byte Ed25519 seed. */
export function buildSignatureArea(uid: Uint8Array, record: Uint8Array, seed: Uint8Array, keyId: number): Uint8Array {
  needBytes('buildSignatureArea', 'uid', uid);
  needBytes('buildSignatureArea', 'record', record);
  needBytesOfLength('buildSignatureArea', 'seed', seed, [32]);
  needInteger('buildSignatureArea', 'keyId', keyId, 1, 255);
  checkKeyId(keyId);
  const area = new Uint8Array(SIGNATURE_AREA_BYTES);
  area.set([SIGNATURE_TAG, SIGNATURE_VERSION, keyId, ALGORITHM_ED25519]);
  area.set(ed25519Sign(seed, signedMessage(uid, record, keyId)), 4);
  new DataView(area.buffer).setUint32(92, crc32(area.subarray(0, 92)));
  return area;
}

export interface SignatureArea {
  keyId: number;
  algorithm: number;
  signature: Uint8Array;
}

/**
 * Checks the structure of a signature area (tag, version, algorithm, zero filler, CRC-32) and
 * returns its parts; anything wrong is SIGNATURE_INVALID (section 5). A key id of 0 is outside
 * the field's range 1-255 and is treated the same way.
 */
export function parseSignatureArea(area: Uint8Array): SignatureArea {
  needBytes('parseSignatureArea', 'area', area);
  if (area.length !== SIGNATURE_AREA_BYTES) fail('SIGNATURE_INVALID', `signature area is ${area.length} bytes, not 96`);
  const bad = (what: string, offset: number): never => fail('SIGNATURE_INVALID', `signature area: ${what}`, { offset });
  if (area[0] !== SIGNATURE_TAG) bad(`tag is 0x${area[0].toString(16)}, not 0x53`, 0);
  if (area[1] !== SIGNATURE_VERSION) bad(`version ${area[1]}, not 1`, 1);
  if (area[2] === 0) bad('key id 0', 2);
  if (area[3] !== ALGORITHM_ED25519) bad(`algorithm ${area[3]}, not 1 (Ed25519)`, 3);
  for (let i = 68; i < 92; i++) if (area[i] !== 0) bad('filler bytes 68-91 are not zero', i);
  const crc = new DataView(area.buffer, area.byteOffset, area.length).getUint32(92);
  if (crc !== crc32(area.subarray(0, 92))) bad('CRC-32 mismatch', 92);
  return { keyId: area[2], algorithm: area[3], signature: area.slice(4, 68) };
}

/** Public keys by key id; ids as numbers or decimal strings (the vector files' form). */
export type PublicKeys = ReadonlyMap<number, Uint8Array> | Readonly<Record<string, Uint8Array>>;

function lookup(keys: PublicKeys, keyId: number): Uint8Array | undefined {
  if (keys instanceof Map) return keys.get(keyId);
  return (keys as Readonly<Record<string, Uint8Array>>)[String(keyId)];
}

/**
 * Verifies a signature area against the record and UID (section 5): structure
 * (SIGNATURE_INVALID), key id known (UNKNOWN_KEY), Ed25519 signature (SIGNATURE_INVALID).
 * Returns the key id that verified.
 */
export function verifySignatureArea(uid: Uint8Array, record: Uint8Array, area: Uint8Array, publicKeys: PublicKeys): number {
  needBytes('verifySignatureArea', 'uid', uid);
  needBytes('verifySignatureArea', 'record', record);
  needBytes('verifySignatureArea', 'area', area);
  needObject('verifySignatureArea', 'publicKeys', publicKeys instanceof Map ? {} : publicKeys);
  const s = parseSignatureArea(area);
  const pub = lookup(publicKeys, s.keyId);
  if (pub === undefined) fail('UNKNOWN_KEY', `no public key with id ${s.keyId}`, { offset: 2 });
  if (!ed25519Verify(pub, signedMessage(uid, record, s.keyId), s.signature)) {
    fail('SIGNATURE_INVALID', `the Ed25519 signature does not verify under key ${s.keyId}`, { offset: 4 });
  }
  return s.keyId;
}

/** The Ed25519 public key of a signing seed (for a keys file or a gate's key list). */
export function publicKeyOf(seed: Uint8Array): Uint8Array {
  needBytesOfLength('publicKeyOf', 'seed', seed, [32]);
  return ed25519PublicKey(seed);
}
