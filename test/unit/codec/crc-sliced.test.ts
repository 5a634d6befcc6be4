/**
 * The sliced CRC tables of the fast paths (src/codec/crcSliced.ts) against the published check
 * values of the spec's CRCs (section 2, "CRC parameters"; the check value is the CRC of ASCII
 * "123456789", as catalogued in Greg Cook's CRC RevEng catalogue) and against the `crc` package on
 * random data, at every prefix length: the slicing loops have a remainder path for 1-7 bytes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc16Prefix, crc32Prefix } from '../../../src/codec/crcSliced.js';
import { crc16CcittFalse, crc32 } from '../../../src/codec/crc.js';

const check = new TextEncoder().encode('123456789');

describe('sliced CRCs (section 2 CRC parameters)', () => {
  it('give the published check values', () => {
    expect(crc16Prefix(check, 9)).toBe(0x29b1);
    expect(crc32Prefix(check, 9)).toBe(0xcbf43926);
  });

  it('of nothing are init ^ xorout', () => {
    expect(crc16Prefix(check, 0)).toBe(0xffff);
    expect(crc32Prefix(check, 0)).toBe(0);
  });

  it('agree with the crc package on every prefix of random data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (d) => {
        for (let end = 0; end <= d.length; end++) {
          expect(crc16Prefix(d, end)).toBe(crc16CcittFalse(d.subarray(0, end)));
          expect(crc32Prefix(d, end)).toBe(crc32(d.subarray(0, end)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('read only the prefix, not the bytes after it', () => {
    const d = new Uint8Array(24).fill(0xa5);
    const e = d.slice();
    e.fill(0x00, 16);
    expect(crc16Prefix(d, 16)).toBe(crc16Prefix(e, 16));
    expect(crc32Prefix(d, 16)).toBe(crc32Prefix(e, 16));
  });
});
