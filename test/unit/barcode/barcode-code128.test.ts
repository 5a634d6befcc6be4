/**
 * Spec section 6 / ISO/IEC 15417: the Code 128 symbol of the payload, checked with our own
 * reference decoder (element widths) against bwip-js's encoder, and the decoder's decodability
 * value against hand-computed cases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE128_PATTERNS, edgeSums, patternWidths } from '../../../src/barcode/code128Table.js';
import { code128Widths, decodeCode128 } from '../../../src/barcode/code128Decoder.js';
import { barcodeElements } from '../../../src/barcode/render.js';
import { payloadArb } from '../../helpers/barcodeImages.js';

describe('Code 128 table (ISO/IEC 15417 Table 1)', () => {
  it('has 106 characters of 11 modules with an even bar sum, and a 13-module stop', () => {
    expect(CODE128_PATTERNS).toHaveLength(107);
    for (let v = 0; v < 106; v++) {
      const w = patternWidths(v);
      expect(w.reduce((a, b) => a + b, 0)).toBe(11);
      expect((w[0] + w[2] + w[4]) % 2).toBe(0);
    }
    expect(CODE128_PATTERNS[106]).toBe('2331112');
    // Start A/B/C as printed in the standard.
    expect(CODE128_PATTERNS.slice(103, 106)).toEqual(['211412', '211214', '211232']);
  });

  it('names every character by its edge-to-similar-edge sums alone', () => {
    const keys = new Set(CODE128_PATTERNS.map((_, v) => edgeSums(patternWidths(v)).join(',')));
    expect(keys.size).toBe(107);
  });
});

describe('reference decoder on bwip-js symbols', () => {
  it('decodes the spec example payload with the hand-computed check character', () => {
    // Spec examples.json "encode-construction": barcode 9747606730000001234566.
    // Code set C: Start C (105), pairs 97 47 60 67 30 00 00 01 23 45 66.
    // Check = (105 + 1*97 + 2*47 + 3*60 + 4*67 + 5*30 + 6*0 + 7*0 + 8*1 + 9*23 + 10*45 + 11*66) mod 103
    //       = 2285 mod 103 = 19.
    const r = decodeCode128(barcodeElements('9747606730000001234566'));
    expect(r).toMatchObject({ ok: true, text: '9747606730000001234566', decodability: 1 });
    if (r.ok) expect(r.values).toEqual([105, 97, 47, 60, 67, 30, 0, 0, 1, 23, 45, 66, 19]);
  });

  it('round-trips random valid payloads (bwip-js encodes, we decode), also reversed', () => {
    fc.assert(
      fc.property(payloadArb, (p) => {
        const w = barcodeElements(p);
        expect(w.reduce((a, b) => a + b, 0)).toBe(11 * 13 + 13);
        const r = decodeCode128(w);
        expect(r.ok && r.text).toBe(p);
        const rev = decodeCode128([...w].reverse());
        expect(rev.ok && rev.text === p && rev.reversed).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a wrong check character and a corrupted character', () => {
    // Start C, "12" "34", check (105 + 12 + 2*34) mod 103 = 185 mod 103 = 82; give 83 instead.
    expect(decodeCode128(code128Widths([105, 12, 34, 82]))).toMatchObject({ ok: true, text: '1234' });
    expect(decodeCode128(code128Widths([105, 12, 34, 83]))).toMatchObject({ ok: false, reason: 'check character does not match' });
    const w = code128Widths([105, 12, 34, 82]);
    w[7] += 1; // a space of "12" one module too wide: 12 modules in the character
    expect(decodeCode128(w).ok).toBe(false);
  });
});

describe('decodability V (ISO/IEC 15416, (n,k) symbologies)', () => {
  const base = code128Widths([105, 12, 34, 82]);

  it('is 1 for ideal widths and stays 1 under uniform bar gain (edge-to-similar-edge sums unchanged)', () => {
    const gain = base.map((w, i) => (i % 2 === 0 ? w + 0.3 : w - 0.3));
    expect(decodeCode128(gain)).toMatchObject({ ok: true, decodability: 1 });
  });

  it('is 1 - 2 * 1/3 = 1/3 when one inner edge is moved by a third of a module', () => {
    // Value 12 = 1 1 2 2 3 2. Move the edge between its first space and second bar by +1/3 module:
    // s1 = 1 1/3, b2 = 1 2/3; S stays 11, e1 = 2 1/3 (E1 = 2, off by 1/3), e2 = 3 (unchanged),
    // e3 = 3 2/3 (E3 = 4, off by 1/3). V_C = 1 - 2 * 1/3 = 0.333; every other character stays 1.
    const w = [...base];
    w[7] += 1 / 3;
    w[8] -= 1 / 3;
    const r = decodeCode128(w);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.decodability).toBeCloseTo(1 / 3, 9);
  });
});
