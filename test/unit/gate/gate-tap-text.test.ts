/**
 * The decision event's text fields written without intermediate strings (src/gate/tapText.ts)
 * against the platform's own formatters: Date.prototype.toISOString (ECMA-262 21.4.4.36) for the
 * instant, daysToIso for the expiry, Buffer's hex for the UID.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TapText } from '../../../src/gate/tapText.js';
import { daysToIso } from '../../../src/codec/dates.js';

const MIN = Date.parse('0000-01-01T00:00:00.000Z');
const MAX = Date.parse('9999-12-31T23:59:59.999Z');

describe('TapText', () => {
  const t = new TapText();
  it('isoInstant is toISOString over the whole 4-digit-year range, and beyond it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: MIN, max: MAX }), fc.integer({ min: -1e13, max: 4e12 }), fc.double({ min: MIN, max: MAX, noNaN: true })), (ms) => {
        expect(t.isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    // Edges: the epoch, leap days, century years, the ends of the range and just outside it.
    for (const s of ['1970-01-01T00:00:00.000Z', '2000-02-29T23:59:59.999Z', '1900-03-01T00:00:00.000Z', '2100-02-28T12:00:00.001Z', '0000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'])
      expect(t.isoInstant(Date.parse(s))).toBe(s);
    expect(t.isoInstant(MIN - 1)).toBe('-000001-12-31T23:59:59.999Z');
    expect(t.isoInstant(MAX + 1)).toBe('+010000-01-01T00:00:00.000Z');
    expect(() => t.isoInstant(Number.NaN)).toThrow(RangeError);
  });

  it('isoDate is daysToIso for every expiry day (16 bits from 2000-01-01)', () => {
    for (let d = 10957; d < 10957 + 65536; d++) if (t.isoDate(d) !== daysToIso(d)) expect(t.isoDate(d)).toBe(daysToIso(d));
  });

  it('uidHex is lower-case hex of 4, 7, 10 and other UID lengths', () => {
    fc.assert(
      // size 'max': fast-check's default size keeps arrays to about 10 bytes, and the lengths past
      // 12 (the text buffer's limit) would never be drawn.
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 16, size: 'max' }), (uid) => {
        expect(t.uidHex(uid)).toBe(Buffer.from(uid).toString('hex'));
      }),
      { numRuns: 5000 },
    );
    for (let n = 0; n <= 16; n++) {
      const uid = Uint8Array.from({ length: n }, (_, i) => 0xf0 + i);
      expect(t.uidHex(uid)).toBe(Buffer.from(uid).toString('hex'));
    }
  });
});
