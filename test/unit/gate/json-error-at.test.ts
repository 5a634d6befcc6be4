/**
 * jsonErrorAt (where a policy or site file stops being valid JSON, RFC 8259) against two
 * independent sources: offsets counted by hand in each input (0-based, written next to the row),
 * and V8's own JSON.parse as the judge of valid / not valid on generated and edited texts.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonErrorAt, jsonErrorLine } from '../../../src/gate/jsonErrorAt.js';
import { jsonPathLine } from '../../../src/gate/jsonPathLine.js';

const parses = (t: string): boolean => {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorAt: offsets counted by hand', () => {
  // [text, offset of the first character that cannot continue valid JSON]
  const rows: [string, number][] = [
    ['', 0], // nothing at 0
    ['   ', 3], // only white space: the value is missing at 3
    ['x', 0],
    ['tru', 0], // literals are matched whole, from their first letter
    ['fals', 0],
    ['nul', 0],
    ['[tRue]', 1],
    ['[1,]', 3], // ] where a value must be
    ['[1 2]', 3], // 2 where , or ] must be
    ['[1,2', 4], // end of text where , or ] must be
    ['{"a":1,}', 7], // } where a key must be
    ['{"a" 1}', 5], // 1 where : must be
    ['{"a":1', 6],
    ['{"a":1,"b"}', 10], // { 0, " 1, a 2, " 3, : 4, 1 5, , 6, " 7, b 8, " 9, } 10
    ['{1:2}', 1], // keys are strings
    ['{"a":1} x', 8], // text after the value
    ['"abc', 4], // unterminated string: the end of text
    ['"a\tb"', 2], // a raw control character (TAB) inside a string
    ['"a\u001fb"', 2], // U+001F is still a control character
    ['"\\x"', 2], // \x is not an escape
    ['"\\', 2], // a backslash at the end of the text: the escape is missing at 2
    ['"a\\u00"', 3], // \u needs four hex digits: reported at the u
    ['"\\u12G4"', 2],
    ['01', 1], // no leading zeros: 0 is the number, 1 is extra
    ['1.', 1], // a fraction needs a digit
    ['1e', 1], // an exponent needs a digit
    ['1e+', 1],
    ['-', 0],
    ['+1', 0],
    ['.5', 0],
    ['[-]', 1],
  ];
  for (const [t, at] of rows) {
    it(`${JSON.stringify(t)} -> ${at}`, () => {
      expect(parses(t)).toBe(false); // V8 agrees it is invalid
      expect(jsonErrorAt(t)).toBe(at);
    });
  }

  const valid = [
    '0',
    '-0',
    '12',
    '-12.5e+3',
    '1E-3',
    '1e5',
    '0.25',
    '"ok"',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    '"\\u00e9\\u00C9"',
    '"a b \u00e9 \u{1F600}"',
    'true',
    'false',
    'null',
    '[]',
    '{}',
    ' [ ] ',
    '{ }',
    '\t\r\n[1, 2 ,3]\n',
    '[1,[2,[3,{"a":[true,false,null]}]]]',
    '{"a":1,"b":{"c":"d"},"e":[-1.5e-2]}',
    `[${'9'.repeat(300)}]`,
  ];
  for (const t of valid) {
    it(`valid ${JSON.stringify(t).slice(0, 40)} -> -1`, () => {
      expect(parses(t)).toBe(true);
      expect(jsonErrorAt(t)).toBe(-1);
    });
  }
});

describe('jsonErrorAt agrees with JSON.parse', () => {
  it('every JSON.stringify output, compact or indented, is valid', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 0, 1, 2, '\t'), (v, indent) => {
        expect(jsonErrorAt(JSON.stringify(v, null, indent))).toBe(-1);
      }),
      { numRuns: 400 },
    );
  });

  // One character removed, replaced or inserted: V8 decides whether the result is still JSON.
  const alphabet = fc.constantFrom(...'{}[],:" \\tfnrue0123456789-+.eEx\t\n\u0001'.split(''));
  it('after a one-character edit: valid exactly when JSON.parse accepts it, and the offset is inside the text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.nat(), alphabet, fc.constantFrom('delete', 'replace', 'insert'), (v, i, ch, op) => {
        const s = JSON.stringify(v, null, 1);
        const k = i % (s.length + 1);
        const t = op === 'delete' ? s.slice(0, k) + s.slice(k + 1) : op === 'replace' ? s.slice(0, k) + ch + s.slice(k + 1) : s.slice(0, k) + ch + s.slice(k);
        const at = jsonErrorAt(t);
        expect(at === -1).toBe(parses(t));
        if (at !== -1) {
          expect(at).toBeGreaterThanOrEqual(0);
          expect(at).toBeLessThanOrEqual(t.length);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('jsonErrorLine and jsonPathLine', () => {
  it('the 1-based line of the error', () => {
    expect(jsonErrorLine('{\n  "a": 1,\n}\n')).toBe(3); // the } on line 3
    expect(jsonErrorLine('[1,\n2,\n\n x]')).toBe(4);
    expect(jsonErrorLine('{"a": 1}')).toBeUndefined();
  });
  it('the line of a value by its path, not of the first text that looks like its key', () => {
    const t = '{\n  "ab": 1,\n  "b": { "a": "x" },\n  "a": [\n    1,\n    "a"\n  ],\n  "c": "\\"a\\""\n}';
    expect(jsonPathLine(t, ['a'])).toBe(4); // not "ab" (line 2), not b.a (line 3)
    expect(jsonPathLine(t, ['b', 'a'])).toBe(3);
    expect(jsonPathLine(t, ['a', 1])).toBe(6);
    // A missing step: the nearest value on the path that is there; nothing there at all: none.
    expect(jsonPathLine(t, ['a', 7])).toBe(4);
    expect(jsonPathLine(t, ['b', 'zz'])).toBe(3);
    expect(jsonPathLine(t, ['zz'])).toBeUndefined();
    // Escaped quotes inside strings are stepped over.
    expect(jsonPathLine(t, ['c'])).toBe(8);
  });
});
