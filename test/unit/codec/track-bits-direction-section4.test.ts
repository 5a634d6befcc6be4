/**
 * Section 4's swipe-direction rule (revision 2026-12-03), sentence by sentence, on bit strings
 * built here by hand from two short tracks (`;1?` and `;2?` on track 2: ABA 5-bit characters,
 * LSB first, odd parity, LRC after the end sentinel):
 *   "yields the track string of: the first direction, forward first, that reads and is followed
 *    only by zero bits; else the first that reads. When neither reads, it fails with the forward
 *    direction's error if that string starts with the start sentinel, else with the reversed
 *    one's, else BAD_FORMAT."
 */
import { describe, expect, it } from 'vitest';
import { decodeTrackBits } from '../../../src/codec/tracks.js';
import { HmskError } from '../../../src/codec/errors.js';

/** Track 2 character bits by hand: value = ASCII - 0x30, 4 data bits LSB first, odd parity bit. */
function ch(c: string): string {
  const v = c.charCodeAt(0) - 0x30;
  const data = [0, 1, 2, 3].map((b) => (v >> b) & 1);
  return data.join('') + (data.reduce((a, b) => a + b, 0) % 2 === 0 ? '1' : '0');
}
/** `;d?` and its LRC (the XOR of ;, d and ? data bits), no padding. */
function track(d: string): string {
  const lrc = String.fromCharCode(0x30 + ((0x0b ^ (d.charCodeAt(0) - 0x30) ^ 0x0f) & 15));
  return ch(';') + ch(d) + ch('?') + ch(lrc);
}
const rev = (s: string) => [...s].reverse().join('');
const Z = '0'.repeat(10);
function code(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e instanceof HmskError ? e.code : String(e);
  }
}

describe('section 4: which direction the bit decoder yields', () => {
  it('the hand-built characters are right (; = 11010, ? = 11111)', () => {
    expect(ch(';')).toBe('11010');
    expect(ch('?')).toBe('11111');
  });

  it('a clean swipe decodes the same in either direction', () => {
    const bits = Z + track('1') + Z;
    expect(decodeTrackBits(2, bits)).toBe(';1?');
    expect(decodeTrackBits(2, rev(bits))).toBe(';1?');
  });

  it('both directions read, neither is followed only by zeros: the first that reads, forward; forward fails: the reversed one', () => {
    // given = track(1) + Z + rev(track(2)): forward reads ;1? (ones follow); reversed = track(2) + Z +
    // rev(track(1)) reads ;2? (ones follow). (Forward unclean with reversed clean needs the reversed
    // LRC to look like the start sentinel: track-section4.test.ts, the ':' LRC case.)
    const bits = Z + track('1') + Z + rev(track('2')) + Z;
    expect(decodeTrackBits(2, bits)).toBe(';1?');
    // Forward does not read (bad parity in its 2nd character), reversed reads: the reversed one.
    const broken = Z + track('1').slice(0, 9) + (track('1')[9] === '1' ? '0' : '1') + track('1').slice(10) + Z + rev(track('2')) + Z;
    expect(decodeTrackBits(2, broken)).toBe(';2?');
  });

  it('no padding before the start sentinel: forward reads clean', () => {
    expect(decodeTrackBits(2, track('1') + Z)).toBe(';1?');
  });

  it('neither reads: the forward error when the forward string starts with the start sentinel', () => {
    const badParity = ch(';') + '10001' + ch('?') + Z; // '1' with its parity bit flipped
    expect(code(() => decodeTrackBits(2, Z + badParity))).toBe('BAD_PARITY');
  });

  it('neither reads: the reversed error when only the reversed string starts with the start sentinel', () => {
    // Reversed: ;1? with no LRC and bits ending there -> BAD_LRC; forward starts with 1,1,1,1,1 (? reversed): no sentinel.
    expect(code(() => decodeTrackBits(2, rev(Z + ch(';') + ch('1') + ch('?'))))).toBe('BAD_LRC');
  });

  it('neither starts with the start sentinel: BAD_FORMAT', () => {
    expect(code(() => decodeTrackBits(2, Z + '11111' + Z))).toBe('BAD_FORMAT');
  });
});
