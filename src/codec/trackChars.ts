/**
 * The two magnetic-stripe character sets of ISO/IEC 7811-2 used by the HMS card (spec section 4):
 * track 1 IATA (6 data bits, ASCII 0x20-0x5F) and track 2 ABA (4 data bits, ASCII 0x30-0x3F).
 * A character's value is its ASCII code minus the set's base; on the stripe its data bits come
 * least significant bit first, then an odd parity bit. The LRC character is the XOR of the data
 * bits of every character from start to end sentinel (ISO/IEC 7811-2 section "Longitudinal
 * redundancy check").
 */

export type TrackNumber = 1 | 2;

export interface TrackCharset {
  track: TrackNumber;
  /** Data bits per character (the parity bit comes on top). */
  dataBits: number;
  /** ASCII code of value 0. */
  base: number;
  startSentinel: string;
  endSentinel: string;
  /** Field separator. */
  separator: string;
}

export const TRACK1: TrackCharset = { track: 1, dataBits: 6, base: 0x20, startSentinel: '%', endSentinel: '?', separator: '^' };
export const TRACK2: TrackCharset = { track: 2, dataBits: 4, base: 0x30, startSentinel: ';', endSentinel: '?', separator: '=' };

export function charset(track: TrackNumber): TrackCharset {
  return track === 1 ? TRACK1 : TRACK2;
}

/** The character's data value, or -1 when it is outside the track's character set. */
export function charValue(cs: TrackCharset, ch: string): number {
  const v = ch.charCodeAt(0) - cs.base;
  return ch.length === 1 && v >= 0 && v < 1 << cs.dataBits ? v : -1;
}

/** The odd parity bit for a data value: 1 when the data bits hold an even number of ones. */
export function oddParityBit(value: number): number {
  let ones = 0;
  for (let v = value; v !== 0; v >>= 1) ones += v & 1;
  return (ones & 1) ^ 1;
}

/**
 * XOR of the data values of `s` (the caller passes start sentinel through end sentinel).
 * Characters must already be known to be inside the set.
 */
export function lrcValue(cs: TrackCharset, s: string): number {
  let x = 0;
  for (let i = 0; i < s.length; i++) x ^= s.charCodeAt(i) - cs.base;
  return x;
}
