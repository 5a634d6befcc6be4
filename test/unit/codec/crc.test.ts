/**
 * One CRC implementation for encode and decode (issue 15 item 3): crc.ts's whole-array CRCs are the
 * sliced tables the decoders run in place (crcSliced.ts). Held here to independent sources:
 * - the published check values over the ASCII "123456789" (the CRC catalogue's `check` field,
 *   reveng.sourceforge.io/crc-catalogue: CRC-16/IBM-3740 a.k.a. CCITT-FALSE 0x29B1,
 *   CRC-32/ISO-HDLC 0xCBF43926, CRC-8/MIFARE-MAD 0x99);
 * - the NFC Forum MAD (NXP AN10787 section 3.7 / NFC Forum Type MIFARE Classic Tag): info byte 0x01
 *   and fifteen AIDs 0xE103 have MAD CRC 0x14;
 * - the `crc` npm package (a dev dependency, not used by src/) on random data of every length.
 * And the single source itself: src/ computes these two CRCs nowhere else and never loads `crc`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import crc16ccittCalc from 'crc/calculators/crc16ccitt';
import crc32Calc from 'crc/calculators/crc32';
import { crc16CcittFalse, crc32, crc8Mad } from '../../../src/codec/crc.js';
import { crc16Prefix, crc32Prefix } from '../../../src/codec/crcSliced.js';
import { codeOf, tsFiles as files } from '../../helpers/sourceText.js';

const root = resolve(import.meta.dirname, '../../..');
const CHECK = new TextEncoder().encode('123456789');


describe('CRCs (spec section 2 "CRC parameters", section 3 MAD)', () => {
  it('published check values over "123456789"', () => {
    expect(crc16CcittFalse(CHECK)).toBe(0x29b1);
    expect(crc32(CHECK)).toBe(0xcbf43926);
    expect(crc8Mad(CHECK)).toBe(0x99);
  });

  it('the NFC Forum MAD: CRC-8 0x14 over info byte 0x01 and fifteen AIDs 0xE103 (low byte first)', () => {
    const mad = Uint8Array.from([0x01, ...new Array(15).fill([0x03, 0xe1]).flat()]);
    expect(mad.length).toBe(31);
    expect(crc8Mad(mad)).toBe(0x14);
  });

  it('agree with the crc package on random data of every length, and with the in-place prefix form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (data, cut) => {
        expect(crc16CcittFalse(data)).toBe(crc16ccittCalc(data) & 0xffff);
        expect(crc32(data)).toBe(crc32Calc(data) >>> 0);
        const end = data.length === 0 ? 0 : cut % (data.length + 1);
        expect(crc16Prefix(data, end)).toBe(crc16CcittFalse(data.subarray(0, end)));
        expect(crc32Prefix(data, end)).toBe(crc32(data.subarray(0, end)));
      }),
      { numRuns: 3000 },
    );
  });

  it('the crc package is a dev dependency only and no file of src/ loads it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.dependencies?.crc).toBeUndefined();
    expect(pkg.devDependencies?.crc).toBeDefined();
    const found = files(join(root, 'src')).filter((f) => /from\s+['"]crc(\/[^'"]*)?['"]|import\(\s*['"]crc/.test(readFileSync(f, 'utf8')));
    expect(found.map((f) => relative(root, f))).toEqual([]);
  });

  it('only crcSliced.ts holds the CRC-16 and CRC-32 polynomials in src/ (comments aside)', () => {
    const found: string[] = [];
    for (const f of files(join(root, 'src'))) {
      const code = codeOf(f);
      if (/0x1021\b|0xedb88320\b|0x04c11db7\b/i.test(code)) found.push(relative(root, f));
    }
    expect(found).toEqual(['src/codec/crcSliced.ts']);
  });
});
