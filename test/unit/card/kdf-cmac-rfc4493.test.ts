/**
 * Spec section 3, key diversification: AES-128-CMAC checked against the four examples of
 * RFC 4493 section 4 (and its subkeys), then the KDF against the spec's `kdf` example and the
 * trailers of the spec's `card` examples (keys the spec publishes there).
 */
import { describe, expect, it } from 'vitest';
import { aesCmac, deriveKey, kdfMessage } from '../../../src/card/kdf.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';


const K = hex('2b7e1516 28aed2a6 abf71588 09cf4f3c');
const M64 = hex(`6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51
                 30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710`);

describe('AES-128-CMAC, RFC 4493 section 4 test vectors', () => {
  it.each([
    [0, 'bb1d6929 e9593728 7fa37d12 9b756746'],
    [16, '070a16b4 6b4d4144 f79bdd9d d04a287c'],
    [40, 'dfa66747 de9ae630 30ca3261 1497c827'],
    [64, '51f0bebf 7e3b9d92 fc497417 79363cfe'],
  ])('Example: len = %i', (len, tag) => {
    expect(toHex(aesCmac(K, M64.subarray(0, len)))).toBe(tag.replace(/ /g, ''));
  });
  it('refuses a key that is not 16 bytes', () => {
    expect(() => aesCmac(new Uint8Array(15), new Uint8Array(0))).toThrow(/INVALID_ARGUMENT: aesCmac: key/);
  });
});

describe('KDF (spec section 3)', () => {
  const readMaster = hex('000102030405060708090a0b0c0d0e0f');
  const writeMaster = hex('101112131415161718191a1b1c1d1e1f');
  const uid4 = hex('04a1b2c3');
  const uid7 = hex('04112233445566');

  it('message is 01 "HMSK" t s len(UID) UID (hand-assembled)', () => {
    // 01 | 48 4D 53 4B ("HMSK") | 41 ('A') | 01 (sector) | 04 (UID length) | 04 A1 B2 C3
    expect(toHex(kdfMessage(uid4, 1, 'A'))).toBe('01484d534b41010404a1b2c3');
    expect(toHex(kdfMessage(uid7, 0, 'B'))).toBe('01484d534b42000704112233445566');
  });
  it("the spec's kdf example: sector 1 key A = 98 27 77 A1 06 97", () => {
    expect(toHex(deriveKey(readMaster, uid4, 1, 'A'))).toBe('982777a10697');
  });
  // Trailer keys published in the spec's card examples (blocks 3, 7, 11, ..., 23):
  // key A = bytes 0-5, key B = bytes 10-15 of each trailer.
  it.each([
    ['04a1b2c3', 0, 'B', 'dc4d840794e4'],
    ['04a1b2c3', 1, 'B', '113dce13384a'],
    ['04a1b2c3', 2, 'A', 'bdeeb262907c'],
    ['04a1b2c3', 3, 'A', 'f03c84b917e2'],
    ['04a1b2c3', 4, 'A', '975c8406d73d'],
    ['04a1b2c3', 5, 'B', '83ca1a8804d7'],
    ['04112233445566', 0, 'B', 'b5a07d4f2e78'],
    ['04112233445566', 1, 'A', '7f0f2f4baa2c'],
    ['04112233445566', 3, 'B', '1d70e0a60262'],
  ] as const)('UID %s sector %i key %s = %s (spec card example trailer)', (uid, sector, type, key) => {
    const master = type === 'A' ? readMaster : writeMaster;
    expect(toHex(deriveKey(master, hex(uid), sector, type))).toBe(key);
  });
  it('rejects bad UID lengths, sectors, key types and masters', () => {
    // Wrong arguments are HmskError INVALID_ARGUMENT naming the parameter (issue 19 item 17).
    expect(() => deriveKey(readMaster, hex('0102030405'), 1, 'A')).toThrow(/INVALID_ARGUMENT: deriveKey: uid/);
    expect(() => deriveKey(readMaster, uid4, 256, 'A')).toThrow(/INVALID_ARGUMENT: deriveKey: sector/);
    expect(() => deriveKey(readMaster, uid4, 1, 'C' as 'A')).toThrow(/INVALID_ARGUMENT: deriveKey: keyType/);
    expect(() => deriveKey(readMaster.subarray(0, 8), uid4, 1, 'A')).toThrow(/INVALID_ARGUMENT: deriveKey: master/);
    expect(deriveKey(readMaster, hex('04112233445566778899'), 1, 'A')).toHaveLength(6);
  });
});
