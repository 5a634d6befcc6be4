/**
 * Issue 19 items 5 and 9, holder validation (spec section 1) on hostile input:
 *   - a text far longer than the record could hold is refused at once (MAX_TEXT_INPUT), even with
 *     truncation: a 128 KB name took 16 s before;
 *   - truncation is linear: the spec's algorithm (remove the last code point of the longest
 *     field, one at a time) on megabyte-long texts finishes inside the test's time-out, and gives
 *     the same texts as a literal, one-step-at-a-time reference of the spec's wording;
 *   - a key that is not a field of section 1 is refused, naming it ("Issue" was encoded as issue 0).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HmskError } from '../../../src/codec/errors.js';
import { MAX_TEXT_INPUT, TEXT_AREA_BYTES, truncateTexts, validateHolder } from '../../../src/codec/holder.js';
import { SAMPLE_HOLDER } from '../../../src/demo/sample.js';

/** The spec example's holder (card-signed-4-byte-uid). */
const base = SAMPLE_HOLDER;

function errorOf(f: () => unknown): HmskError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HmskError);
    return e as HmskError;
  }
  throw new Error('did not throw');
}

/** The spec's truncation, read literally (section 1), with Buffer.byteLength as the byte count. */
function referenceTruncate(texts: [string, string, string]): [string, string, string] {
  const t = [...texts] as [string, string, string];
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  while (bytes(t[0]) + bytes(t[1]) + bytes(t[2]) > TEXT_AREA_BYTES) {
    let i = 0;
    if (bytes(t[1]) > bytes(t[i])) i = 1;
    if (bytes(t[2]) > bytes(t[i])) i = 2;
    const cps = [...t[i]];
    cps.pop();
    t[i] = cps.join('');
  }
  return t.map((s) => s.replace(/ +$/, '')) as [string, string, string];
}

describe('absurdly long texts are refused early (item 5)', () => {
  it('a 128 KB given name fails TOO_LONG naming the field, with or without truncation', () => {
    for (const truncate of [false, true]) {
      const e = errorOf(() => validateHolder({ ...base, givenName: 'x'.repeat(128 * 1024) }, { truncate }));
      expect(e.code).toBe('TOO_LONG');
      expect(e.where.field).toBe('givenName');
    }
  });

  it('the bound is MAX_TEXT_INPUT code units: at the bound truncation runs, one over it is refused', () => {
    const at = validateHolder({ ...base, orgName: 'o'.repeat(MAX_TEXT_INPUT) }, { truncate: true });
    expect(at.truncated).toBe(true);
    expect(Buffer.byteLength(at.orgName + at.givenName + at.familyName)).toBeLessThanOrEqual(TEXT_AREA_BYTES);
    expect(errorOf(() => validateHolder({ ...base, orgName: 'o'.repeat(MAX_TEXT_INPUT + 1) }, { truncate: true })).code).toBe('TOO_LONG');
    // NFC composes at most 3 code units into one code point (Hangul L+V+T), and each takes at least
    // one byte: a text over the bound is still far over the 116-byte area, refusing it changes no card.
    expect(Math.floor(MAX_TEXT_INPUT / 3)).toBeGreaterThan(2 * TEXT_AREA_BYTES);
  });
});

describe('truncation is linear and exactly the spec algorithm (item 5)', () => {
  it('costs a bounded number of character reads per input character (an operation count, not a time)', () => {
    // Every string read of the algorithm goes through charCodeAt: count them. The quadratic version
    // (measure the shortened field again after each removed code point) reads ~n^2/2 characters.
    const texts: [string, string, string] = ['o'.repeat(3000), 'é'.repeat(3000), '😀'.repeat(3000)];
    const total = texts.reduce((n, t) => n + t.length, 0);
    const charCodeAt = String.prototype.charCodeAt;
    let reads = 0;
    String.prototype.charCodeAt = function (this: string, i: number) {
      reads++;
      return charCodeAt.call(this, i);
    };
    let out: [string, string, string];
    try {
      out = truncateTexts(...texts);
    } finally {
      String.prototype.charCodeAt = charCodeAt;
    }
    expect(reads).toBeLessThan(4 * total);
    expect(out).toEqual(referenceTruncate(['o'.repeat(300), 'é'.repeat(300), '😀'.repeat(300)]));
  });

  it('three texts of 64 K characters each (the issue measured 3.8 s for one)', () => {
    const big = (c: string) => c.repeat(1 << 16);
    const [o, g, f] = truncateTexts(big('o'), big('é'), big('😀'));
    expect(Buffer.byteLength(o + g + f)).toBeLessThanOrEqual(TEXT_AREA_BYTES);
  });

  it('equals the literal reference on random texts (ASCII, 2-, 3- and 4-byte code points, spaces)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', 'ø', '€', '😀', 'Z'), minLength: 1, maxLength: 120 });
    fc.assert(
      fc.property(text, text, text, (o, g, f) => {
        let want: [string, string, string] | 'TOO_LONG';
        const ref = referenceTruncate([o, g, f]);
        want = ref.some((s) => s === '') ? 'TOO_LONG' : ref;
        let got: [string, string, string] | 'TOO_LONG';
        try {
          got = truncateTexts(o, g, f);
        } catch (e) {
          got = (e as HmskError).code as 'TOO_LONG';
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('unknown holder keys are refused, naming the key (item 9)', () => {
  it('"Issue" (for issue), "cardnumber", "__proto__"-free extra fields', () => {
    for (const key of ['Issue', 'cardnumber', 'middleName', 'truncated']) {
      const e = errorOf(() => validateHolder({ ...base, [key]: 3 }));
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect(e.where.field).toBe(key);
      expect(e.message).toContain(JSON.stringify(key));
    }
  });

  it('encodeRecord of a plain object checks the keys too; a ValidHolder is taken as it is', async () => {
    const { encodeRecord } = await import('../../../src/codec/record.js');
    expect(errorOf(() => encodeRecord({ ...base, Issue: 3 } as never)).code).toBe('INVALID_ARGUMENT');
    expect(encodeRecord(validateHolder(base))[13]).toBe(0);
    expect(encodeRecord(validateHolder({ ...base, issue: 3 }))[13]).toBe(3);
  });
});
