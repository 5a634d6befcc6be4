/**
 * Spec section 4: a track decoding error says which track and which character: the offset is the
 * index, in the string as read, of the character that fails the check (a reader's log shows the
 * string; the offset must point into it). Positions are found in the test from section 4's layout
 * (sentinels and separators), not taken from src/codec/tracks.ts. Base strings: the spec example
 * "encode-construction" (test-vectors/spec-examples.json).
 */
import { describe, expect, it } from 'vitest';
import { HmskError } from '../../../src/codec/errors.js';
import { decodeTrack, lrcChar } from '../../../src/codec/tracks.js';
import { luhn } from '../../helpers/luhn.js';
import { thrown as thrownHelper } from '../../helpers/thrown.js';

const T1 = '%HB974760673^OESTBY-HAAGENSEN/KARI AERL^0000001234566280630?';
const T2 = ';974760673=0000001234566=2806301000?';

const error = (f: () => unknown) => thrownHelper(f, HmskError);
const at = (track: 1 | 2, s: string) => {
  const e = error(() => decodeTrack(track, s));
  return [e.code, e.where.track, e.where.offset];
};

/** Track 1 with another name and card digits; the check digit recomputed unless `check` is given. */
function track1(name: string, card12 = '000000123456', expiry = '280630', check?: string): string {
  return `%HB974760673^${name}^${card12}${check ?? luhn('974760673' + card12)}${expiry}?`;
}
function track2(card12 = '000000123456', expiry = '280630', issue = '000', check?: string): string {
  return `;974760673=${card12}${check ?? luhn('974760673' + card12)}=${expiry}1${issue}?`;
}

describe('track 1 errors point at the faulty character', () => {
  it('the base strings decode', () => {
    expect(decodeTrack(1, T1).cardNumber).toBe('123456');
    expect(decodeTrack(2, T2).cardNumber).toBe('123456');
  });
  for (const name of ['', 'A', 'OESTBY-HAAGENSEN/KARI AERL']) {
    const cardAt = track1(name).lastIndexOf('^') + 1;
    it(`name of ${name.length}: check digit at ${cardAt + 12}, expiry at ${cardAt + 13}, card number at ${cardAt}`, () => {
      const wrong = String((Number(luhn('974760673000000123456')) + 1) % 10);
      expect(at(1, track1(name, '000000123456', '280630', wrong))).toEqual(['BAD_CHECK_DIGIT', 1, cardAt + 12]);
      expect(at(1, track1(name, '000000123456', '281330'))).toEqual(['BAD_FORMAT', 1, cardAt + 13]); // month 13
      expect(at(1, track1(name, '000000000000'))).toEqual(['BAD_FORMAT', 1, cardAt]);
    });
  }
  it('frame: start sentinel at 0, a character outside the set where it is, characters after the LRC', () => {
    expect(at(1, T1.slice(1))).toEqual(['BAD_FORMAT', 1, 0]);
    const lower = T1.replace('OESTBY', 'OeSTBY');
    expect(at(1, lower)).toEqual(['BAD_FORMAT', 1, lower.indexOf('e')]);
    const end = T1.length - 1;
    expect(at(1, `${T1}TT`)).toEqual(['BAD_FORMAT', 1, end + 2]);
    expect(error(() => decodeTrack(1, `${T1}TTT`)).detail).toContain('has 3 characters after the end sentinel');
    expect(at(1, `${T1}U`)).toEqual(['BAD_LRC', 1, end + 1]);
    expect(decodeTrack(1, `${T1}T`).name).toBe('OESTBY-HAAGENSEN/KARI AERL');
  });
});

describe('track 2 errors point at the faulty character', () => {
  // ';' + org 9 + '=' = 11; card 12 + check = 13; '=' ; expiry at 25; category at 31; issue at 32.
  const cardAt = T2.indexOf('=') + 1;
  const expiryAt = T2.lastIndexOf('=') + 1;
  it('layout positions', () => expect([cardAt, expiryAt]).toEqual([11, 25]));
  it('check digit, expiry, card number 0, issue above 255', () => {
    const wrong = String((Number(luhn('974760673000000123456')) + 1) % 10);
    expect(at(2, track2('000000123456', '280630', '000', wrong))).toEqual(['BAD_CHECK_DIGIT', 2, cardAt + 12]);
    expect(at(2, track2('000000123456', '280230'))).toEqual(['BAD_FORMAT', 2, expiryAt]); // 30 February
    expect(at(2, track2('000000000000'))).toEqual(['BAD_FORMAT', 2, cardAt]);
    expect(at(2, track2('000000123456', '280630', '256'))).toEqual(['BAD_FORMAT', 2, expiryAt + 7]);
    expect(decodeTrack(2, track2('000000123456', '280630', '255')).issue).toBe(255);
  });
  it('no end sentinel; LRC; a character outside the set', () => {
    expect(error(() => decodeTrack(2, T2.slice(0, -1))).code).toBe('BAD_FORMAT');
    expect(at(2, `${T2}3`)).toEqual(['BAD_LRC', 2, T2.length]);
    expect(decodeTrack(2, `${T2}2`).issue).toBe(0);
    expect(error(() => lrcChar(2, ';97A?')).where).toEqual({ track: 2, offset: 3 });
  });
});
