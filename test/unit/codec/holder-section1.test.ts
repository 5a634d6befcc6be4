/**
 * Spec section 1 (the holder): every rule of the table, the text rules, the 116-byte area and the
 * truncation algorithm, and the order of checks documented in src/codec/holder.ts. Expected values
 * are worked out by hand from the spec text (derivations in the comments).
 */
import { describe, expect, it } from 'vitest';
import { HmskError } from '../../../src/codec/errors.js';
import { truncateTexts, validateHolder } from '../../../src/codec/holder.js';

/** The spec's first encode example (examples.json, "encode-construction"). */
const base = {
  category: 'construction',
  cardNumber: '123456',
  orgNumber: '974760673',
  orgName: 'Brønnøysund Bygg AS',
  givenName: 'Kari Ærlig',
  familyName: 'Østby-Hågensen',
  birthDate: '1985-04-17',
  gender: 'F',
  expiry: '2028-06-30',
  issue: 0,
};

function codeOf(input: unknown, truncate = false): { code: string; field?: string } | 'ok' {
  try {
    validateHolder(input, { truncate });
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(HmskError);
    const h = e as HmskError;
    return h.where.field === undefined ? { code: h.code } : { code: h.code, field: h.where.field };
  }
}
const code = (patch: Record<string, unknown>, truncate = false) => {
  const r = codeOf({ ...base, ...patch }, truncate);
  return r === 'ok' ? r : r.code;
};
const a = (n: number, ch = 'a') => ch.repeat(n);

describe('section 1 field rules', () => {
  it('accepts the spec example and normalises it', () => {
    const v = validateHolder(base);
    expect(v).toMatchObject({ ...base, truncated: false, cardNumberValue: 123456 });
  });

  it('category', () => {
    expect(code({ category: 'cleaning' })).toBe('ok');
    for (const c of ['Construction', 'void', '', 1, undefined, null]) expect(code({ category: c })).toBe('INVALID_CATEGORY');
  });

  it('cardNumber: 1-12 digits, value 1 ..= 999 999 999 999, leading zeros not significant', () => {
    expect(validateHolder({ ...base, cardNumber: '00042' }).cardNumber).toBe('42'); // the spec's own example
    expect(validateHolder({ ...base, cardNumber: '999999999999' }).cardNumberValue).toBe(999_999_999_999);
    expect(validateHolder({ ...base, cardNumber: '000000000001' }).cardNumber).toBe('1');
    for (const c of ['0', '000000000000', '1000000000000', '0000000000001', '', ' 42', '4.2', '-1', '1e3', '١٢', 42, null, undefined])
      expect(code({ cardNumber: c }), String(c)).toBe('INVALID_CARD_NUMBER');
  });

  it('orgNumber: 9 digits, mod-11 check digit', () => {
    // 974760673 and 923609016: the spec examples. 987654325 by hand: 9*3+8*2+7*7+6*6+5*5+4*4+3*3+2*2
    // = 27+16+49+36+25+16+9+4 = 182; 182 mod 11 = 6; 11-6 = 5. 110000006: 1*3+1*2 = 5; 11-5 = 6.
    // 000000000: sum 0, 11-0 = 11 means 0, so the spec's rule accepts it.
    for (const o of ['974760673', '923609016', '987654325', '110000006', '000000000']) expect(code({ orgNumber: o }), o).toBe('ok');
    // 40000000x: 4*3 = 12, 12 mod 11 = 1, 11-1 = 10: no check digit makes these valid.
    for (const o of ['987654321', '974760674', '400000000', '400000009', '97476067', '9747606730', 974760673, '97476067a', undefined])
      expect(code({ orgNumber: o }), String(o)).toBe('INVALID_ORG_NUMBER');
  });

  it('dates: strict YYYY-MM-DD real dates in their ranges', () => {
    for (const d of ['1900-01-01', '2079-06-06', '2000-02-29', '2024-02-29']) expect(code({ birthDate: d }), d).toBe('ok');
    // 1900 is not a leap year (divisible by 100, not by 400).
    for (const d of ['1899-12-31', '2079-06-07', '1900-02-29', '2023-02-29', '1985-4-17', '1985-04-31', '1985-13-01', '1985-00-10', '19850417', '1985-04-17T00:00', '', 19850417])
      expect(code({ birthDate: d }), String(d)).toBe('INVALID_DATE');
    for (const d of ['2000-01-01', '2099-12-31', '2096-02-29']) expect(code({ expiry: d }), d).toBe('ok');
    // 2100 is not a leap year: 2100-02-29 is no date (and would be out of range too).
    for (const d of ['1999-12-31', '2100-01-01', '2100-02-29', '2099-02-29', '2028-06-30 ', undefined])
      expect(code({ expiry: d }), String(d)).toBe('INVALID_DATE');
  });

  it('gender', () => {
    for (const g of ['M', 'F', 'X']) expect(code({ gender: g })).toBe('ok');
    for (const g of ['m', 'K', '', 0, undefined]) expect(code({ gender: g })).toBe('INVALID_GENDER');
  });

  it('issue: integer 0 ..= 255, default 0', () => {
    const { issue: _drop, ...noIssue } = base;
    void _drop;
    expect(validateHolder(noIssue).issue).toBe(0);
    expect(code({ issue: 255 })).toBe('ok');
    for (const i of [-1, 256, 1.5, '1', null, NaN, Infinity]) expect(code({ issue: i }), String(i)).toBe('INVALID_ISSUE');
  });

  it('a non-object input is refused as such (INVALID_ARGUMENT), never read as a holder with no fields (issue 19 item 17)', () => {
    for (const x of [null, undefined, 42, 'holder', []]) expect(codeOf(x)).toEqual({ code: 'INVALID_ARGUMENT', field: 'holder' });
  });
});

describe('section 1 text rules', () => {
  it('normalises to NFC before anything else', () => {
    // "Ha" + U+030A COMBINING RING ABOVE composes to U+00E5 "å".
    const v = validateHolder({ ...base, familyName: 'Ha\u030Agensen', givenName: 'A\u030A' });
    expect(v.familyName).toBe('H\u00E5gensen');
    expect(v.givenName).toBe('\u00C5');
  });

  it('accepts inner spaces, inner NBSP (Zs is not rejected), apostrophes, emoji', () => {
    for (const t of ['Kari Ærlig', 'Ka\u00A0ri', "O'Brien", 'Ola 😀', 'Łódź-Żabiński', '山田']) expect(code({ givenName: t }), t).toBe('ok');
  });

  it('rejects empty, edge white space and the categories Cc Cf Cs Co Cn Zl Zp, naming the field', () => {
    const bad = [
      '', //                 empty
      ' Kari', //            leading space
      'Kari ', //            trailing space
      'Kari\u00A0', //       trailing NO-BREAK SPACE (White_Space)
      '\u3000Kari', //       leading IDEOGRAPHIC SPACE (White_Space)
      'Kari\n', //           trailing LF
      'Ka\u0000ri', //       Cc
      'Ka\tri', //           Cc (TAB is White_Space but also Cc: inside a name it is still rejected)
      'Ka\u00ADri', //       Cf SOFT HYPHEN
      'Ka\u200Bri', //       Cf ZERO WIDTH SPACE
      '\uFEFFKari', //       Cf BOM
      'Ka\uD800ri', //       Cs lone high surrogate
      'Kari\uDC00', //       Cs lone low surrogate
      'Ka\uE000ri', //       Co private use
      'Ka\u{F0000}ri', //    Co supplementary private use
      'Ka\u0378ri', //       Cn unassigned
      'Ka\uFFFFri', //       Cn noncharacter
      'Ka\u2028ri', //       Zl
      'Ka\u2029ri', //       Zp
    ];
    for (const field of ['orgName', 'givenName', 'familyName'])
      for (const t of bad) expect(codeOf({ ...base, [field]: t }), `${field} ${JSON.stringify(t)}`).toEqual({ code: 'INVALID_TEXT', field });
    for (const t of [undefined, null, 42, ['Kari']]) expect(codeOf({ ...base, givenName: t })).toEqual({ code: 'INVALID_TEXT', field: 'givenName' });
  });

  it('116 bytes of UTF-8 fit; 117 fail with TOO_LONG unless truncating', () => {
    // 'Ø' is 2 bytes: 40 + 2*18 + 40 = 116.
    expect(code({ orgName: a(40), givenName: a(18, 'Ø'), familyName: a(40) })).toBe('ok');
    expect(code({ orgName: a(41), givenName: a(18, 'Ø'), familyName: a(40) })).toBe('TOO_LONG');
    // A 4-byte code point (emoji, a surrogate pair in JS) counts 4, not 2: 112 + 4 = 116; 113 + 4 = 117.
    expect(code({ orgName: a(100), givenName: '😀', familyName: a(12) })).toBe('ok');
    expect(code({ orgName: a(100), givenName: '😀', familyName: a(13) })).toBe('TOO_LONG');
    expect(validateHolder({ ...base, orgName: a(40), givenName: a(36), familyName: a(40) }, { truncate: true }).truncated).toBe(false);
  });
});

describe('section 1 truncation algorithm (worked by hand)', () => {
  const trunc = (orgName: string, givenName: string, familyName: string) => {
    const v = validateHolder({ ...base, orgName, givenName, familyName }, { truncate: true });
    expect(v.truncated).toBe(true);
    return [v.orgName, v.givenName, v.familyName];
  };

  it('ties go org name, then given name, then family name', () => {
    // 40+40+40 = 120: remove 4. All 40: tie -> org (39). Given 40 -> 39. Family 40 -> 39.
    // All 39: tie -> org 38. Total 38+39+39 = 116.
    expect(trunc(a(40, 'o'), a(40, 'g'), a(40, 'f'))).toEqual([a(38, 'o'), a(39, 'g'), a(39, 'f')]);
    // 10+55+55 = 120: given/family tie -> given 54; family 55 -> 54; tie -> given 53; family 54 -> 53.
    expect(trunc(a(10, 'o'), a(55, 'g'), a(55, 'f'))).toEqual([a(10, 'o'), a(53, 'g'), a(53, 'f')]);
  });

  it('removes whole code points, measured in bytes', () => {
    // Org 30 x 'Ø' = 60 bytes, given 50, family 10: total 120. Org 60 -> 58 (118), org 58 > 50 -> 56 (116).
    expect(trunc(a(30, 'Ø'), a(50, 'g'), a(10, 'f'))).toEqual([a(28, 'Ø'), a(50, 'g'), a(10, 'f')]);
    // Given 56 'a' + U+1F600 = 60 bytes: its last code point is the whole surrogate pair (4 bytes).
    expect(trunc(a(50, 'o'), a(56) + '😀', a(10, 'f'))).toEqual([a(50, 'o'), a(56), a(10, 'f')]);
    // Family 33 x ('e' + U+0301) is NFC-composed to 33 x U+00E9 (66 bytes) before truncation:
    // 50+5+66 = 121; family 66 -> 64 -> 62 -> 60 (115), one whole code point at a time.
    expect(trunc(a(50, 'o'), a(5, 'g'), a(33, 'e\u0301'))).toEqual([a(50, 'o'), a(5, 'g'), a(30, '\u00E9')]);
  });

  it('strips trailing U+0020 after truncating', () => {
    // Org 'o'*55 + ' ' + 'xyzw' = 60, given 50, family 10: remove w, z, y, x (org stays longest),
    // leaving 'o'*55 + ' ', stripped to 'o'*55 (the total drops to 115).
    expect(trunc(a(55, 'o') + ' xyzw', a(50, 'g'), a(10, 'f'))).toEqual([a(55, 'o'), a(50, 'g'), a(10, 'f')]);
    // Two spaces are both stripped.
    expect(trunc(a(54, 'o') + '  xyzw', a(50, 'g'), a(10, 'f'))).toEqual([a(54, 'o'), a(50, 'g'), a(10, 'f')]);
    // A trailing NBSP (not U+0020) is left, exactly as the algorithm says: 'o'*54 + NBSP (2 bytes) +
    // 'xyzw' = 60; removing w, z, y, x reaches 116 with the NBSP last.
    expect(trunc(a(54, 'o') + '\u00A0xyzw', a(50, 'g'), a(10, 'f'))).toEqual([a(54, 'o') + '\u00A0', a(50, 'g'), a(10, 'f')]);
  });

  it('a field emptied by the strip fails with TOO_LONG', () => {
    // Valid fields cannot start with a space, so the algorithm alone is fed a field that does:
    // org ' '*60 is the longest until it is cut to 56 spaces (116 bytes), then stripped to ''.
    expect(() => truncateTexts(a(60, ' '), a(50, 'g'), a(10, 'f'))).toThrowError(expect.objectContaining({ code: 'TOO_LONG', where: { field: 'orgName' } }));
    expect(truncateTexts(a(60, 'o'), a(50, 'g'), a(10, 'f'))).toEqual([a(56, 'o'), a(50, 'g'), a(10, 'f')]);
  });
});

describe('order of checks: the table of section 1, then the text area', () => {
  it('fixing one field at a time walks the codes in table order', () => {
    const steps: [string, unknown, string, string][] = [
      ['category', 'construction', 'INVALID_CATEGORY', 'category'],
      ['cardNumber', '42', 'INVALID_CARD_NUMBER', 'cardNumber'],
      ['orgNumber', '974760673', 'INVALID_ORG_NUMBER', 'orgNumber'],
      ['orgName', a(60, 'o'), 'INVALID_TEXT', 'orgName'],
      ['givenName', a(60, 'g'), 'INVALID_TEXT', 'givenName'],
      ['familyName', a(60, 'f'), 'INVALID_TEXT', 'familyName'],
      ['birthDate', '1985-04-17', 'INVALID_DATE', 'birthDate'],
      ['gender', 'X', 'INVALID_GENDER', 'gender'],
      ['expiry', '2030-12-31', 'INVALID_DATE', 'expiry'],
      ['issue', 3, 'INVALID_ISSUE', 'issue'],
    ];
    const h: Record<string, unknown> = { category: 'x', cardNumber: '0', orgNumber: '1', orgName: ' ', givenName: '', familyName: '\u0000', birthDate: '1800-01-01', gender: '?', expiry: '2100-01-01', issue: 300 };
    for (const [field, good, want, where] of steps) {
      expect(codeOf(h), field).toEqual({ code: want, field: where });
      h[field] = good;
    }
    // Every field is now valid on its own; the texts take 180 bytes.
    expect(codeOf(h)).toEqual({ code: 'TOO_LONG' });
    expect(codeOf(h, true)).toBe('ok');
  });
});
