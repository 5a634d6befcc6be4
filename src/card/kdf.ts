/**
 * Key diversification of spec section 3: AES-128-CMAC (RFC 4493) of a message naming the card,
 * the sector and the key type, under a 16-byte master key; the first 6 bytes are the MIFARE key.
 *
 *   message = 0x01 || "HMSK" || t || s || len(UID) || UID      (t = 'A' or 'B', s = sector)
 */
import { aes128EncryptBlock } from './crypto.js';
import type { KeyType } from '../transport/card.js';
import { needBytes, needBytesOfLength, needInteger, needOneOf } from '../codec/guard.js';

/** RFC 4493 section 2.3, "Generate_Subkey": shift left one bit, xor Rb = 0x87 on carry. */
function double(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0)) & 0xff;
  if (b[0] & 0x80) out[15] ^= 0x87;
  return out;
}

/** AES-128-CMAC of RFC 4493 (section 2.4, "MAC Generation"): the 16-byte tag. */
export function aesCmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  needBytesOfLength('aesCmac', 'key', key, [16]);
  needBytes('aesCmac', 'message', message);
  if (key.length !== 16) throw new RangeError(`AES-128-CMAC needs a 16-byte key, got ${key.length}`);
  const k1 = double(aes128EncryptBlock(key, new Uint8Array(16)));
  const k2 = double(k1);
  const n = Math.max(1, Math.ceil(message.length / 16));
  const complete = message.length > 0 && message.length % 16 === 0;
  const last = new Uint8Array(16);
  const tail = message.subarray((n - 1) * 16);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80; // padding 10^i
  const sub = complete ? k1 : k2;
  for (let i = 0; i < 16; i++) last[i] ^= sub[i];
  let x: Uint8Array = new Uint8Array(16);
  for (let blk = 0; blk < n - 1; blk++) {
    const y = new Uint8Array(16);
    for (let i = 0; i < 16; i++) y[i] = x[i] ^ message[blk * 16 + i];
    x = aes128EncryptBlock(key, y);
  }
  for (let i = 0; i < 16; i++) last[i] ^= x[i];
  return aes128EncryptBlock(key, last);
}

/** The KDF message of section 3 for one sector and key type. */
export function kdfMessage(uid: Uint8Array, sector: number, keyType: KeyType): Uint8Array {
  needBytesOfLength('kdfMessage', 'uid', uid, [4, 7, 10]);
  needInteger('kdfMessage', 'sector', sector, 0, 15);
  needOneOf('kdfMessage', 'keyType', keyType, ['A', 'B']);
  if (uid.length !== 4 && uid.length !== 7 && uid.length !== 10) throw new RangeError(`a UID is 4, 7 or 10 bytes, got ${uid.length}`);
  if (!Number.isInteger(sector) || sector < 0 || sector > 255) throw new RangeError(`sector must be one byte, got ${sector}`);
  if (keyType !== 'A' && keyType !== 'B') throw new RangeError(`key type must be "A" or "B", got ${String(keyType)}`);
  const m = new Uint8Array(8 + uid.length);
  m.set([0x01, 0x48, 0x4d, 0x53, 0x4b, keyType.charCodeAt(0), sector, uid.length]); // 01 'H' 'M' 'S' 'K' t s len
  m.set(uid, 8);
  return m;
}

/** KDF(master, UID, s, t) of section 3: the 6-byte MIFARE key of sector s, type t. */
export function deriveKey(master: Uint8Array, uid: Uint8Array, sector: number, keyType: KeyType): Uint8Array {
  needBytesOfLength('deriveKey', 'master', master, [16]);
  needBytesOfLength('deriveKey', 'uid', uid, [4, 7, 10]);
  needInteger('deriveKey', 'sector', sector, 0, 15);
  needOneOf('deriveKey', 'keyType', keyType, ['A', 'B']);
  if (master.length !== 16) throw new RangeError(`a master key is 16 bytes, got ${master.length}`);
  return aesCmac(master, kdfMessage(uid, sector, keyType)).slice(0, 6);
}
