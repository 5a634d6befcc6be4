/**
 * src/codec/guard.ts: what an INVALID_ARGUMENT message says about the value it got. The rule that
 * matters: a short, safe description, never the value's content beyond 20 characters (a key, a
 * holder's name, a whole record passed where a string was expected must not end up in a log).
 */
import { describe, expect, it } from 'vitest';
import { HmskError } from '../../../src/codec/errors.js';
import { argumentError, describeValue, needBytes, needBytesOfLength, needObject, needOptions } from '../../../src/codec/guard.js';

describe('describeValue', () => {
  it('names the type, and the value only when short', () => {
    const rows: [unknown, string][] = [
      [null, 'null'],
      [undefined, 'undefined'],
      [[1, 2, 3], 'an array of 3'],
      [new Date(0), 'a Date'],
      [new ArrayBuffer(4), 'an ArrayBuffer'],
      [new Uint16Array(2), 'a Uint16Array'],
      [Buffer.alloc(1), 'a Buffer'],
      [42, 'the number 42'],
      [-0.5, 'the number -0.5'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      ['x'.repeat(20), `the string "${'x'.repeat(20)}"`],
      ['k'.repeat(21), 'a string of 21 characters'],
      [{ a: 1 }, 'an object'],
      [true, 'boolean'],
      [10n, 'bigint'],
      [() => 1, 'function'],
      [Symbol('s'), 'symbol'],
    ];
    for (const [v, want] of rows) expect(describeValue(v), String(want)).toBe(want);
  });
});

describe('argument guards', () => {
  it('throw HmskError INVALID_ARGUMENT naming function, parameter, expectation and value', () => {
    const e = argumentError('decodeRecord', 'bytes', 'a Uint8Array', [1]);
    expect(e).toBeInstanceOf(HmskError);
    expect([e.code, e.kind, e.where, e.message]).toEqual(['INVALID_ARGUMENT', 'data', { field: 'bytes' }, 'INVALID_ARGUMENT: decodeRecord: bytes must be a Uint8Array, got an array of 1']);
  });
  it('needBytesOfLength takes exactly the listed lengths and says them', () => {
    expect(() => needBytesOfLength('f', 'key', new Uint8Array(6), [6])).not.toThrow();
    for (const n of [5, 7]) expect(() => needBytesOfLength('f', 'key', new Uint8Array(n), [4, 6])).toThrow('f: key must be a Uint8Array of 4 or 6 bytes, got a Uint8Array');
    expect(() => needBytesOfLength('f', 'key', [0, 0, 0, 0, 0, 0], [6])).toThrow(HmskError);
  });
  it('objects are plain objects: not null, not arrays; options may be undefined', () => {
    expect(() => needObject('f', 'o', {})).not.toThrow();
    for (const v of [null, [], 'x', 1]) expect(() => needObject('f', 'o', v), String(v)).toThrow('f: o must be an object');
    expect(() => needOptions('f', 'opts', undefined)).not.toThrow();
    expect(() => needOptions('f', 'opts', null)).toThrow(HmskError);
    expect(() => needBytes('f', 'b', new ArrayBuffer(1))).toThrow('f: b must be a Uint8Array, got an ArrayBuffer');
  });
});
