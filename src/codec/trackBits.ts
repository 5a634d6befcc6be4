/**
 * Magnetic-stripe tracks as the bits a read head sees (spec section 4, ISO/IEC 7811-2): every
 * character is its data value least significant bit first, then an odd parity bit; the LRC
 * character follows the end sentinel; clocking zeros pad both ends. A card swiped the other way
 * round gives the same bits in reverse order, which the decoder detects by the start sentinel.
 * Bits are strings of '0'/'1' (as the spec's track-bits vectors write them).
 */
import { fail } from './errors.js';
import { charset, charValue, lrcValue, oddParityBit, type TrackCharset, type TrackNumber } from './trackChars.js';
import { needString, needOptions, needInteger } from './guard.js';

export interface TrackBitsOptions {
  /** Clocking zeros before the start sentinel. Default 20 (as in the spec's track-bits examples). */
  leadingZeros?: number;
  /** Zeros after the LRC. Default 20. */
  trailingZeros?: number;
  /** Give the bits as a backwards swipe reads them (the whole string reversed). */
  reverse?: boolean;
}

function charBits(cs: TrackCharset, value: number): string {
  let s = '';
  for (let b = 0; b < cs.dataBits; b++) s += (value >> b) & 1 ? '1' : '0';
  return s + (oddParityBit(value) ? '1' : '0');
}

/**
 * The bits of a track string with sentinels. When `data` holds a character after the end sentinel
 * it is written as the LRC as given (so tests can write a wrong one); otherwise the LRC is computed.
 * BAD_FORMAT for a character outside the track's set or a missing sentinel.
 */
export function trackToBits(track: TrackNumber, data: string, opts: TrackBitsOptions = {}): string {
  needInteger('trackToBits', 'track', track, 1, 2);
  needString('trackToBits', 'data', data);
  needOptions('trackToBits', 'opts', opts);
  const cs = charset(track);
  if (data[0] !== cs.startSentinel) fail('BAD_FORMAT', `track ${track} does not begin with ${cs.startSentinel}`, { track, offset: 0 });
  const end = data.indexOf(cs.endSentinel, 1);
  if (end < 0 || data.length > end + 2) fail('BAD_FORMAT', `track ${track} needs one end sentinel ? followed by at most the LRC`, { track });
  let out = '0'.repeat(opts.leadingZeros ?? 20);
  for (let i = 0; i < data.length; i++) {
    const v = charValue(cs, data[i]);
    if (v < 0) fail('BAD_FORMAT', `character ${JSON.stringify(data[i])} is not in the track ${track} character set`, { track, offset: i });
    out += charBits(cs, v);
  }
  if (data.length === end + 1) out += charBits(cs, lrcValue(cs, data));
  out += '0'.repeat(opts.trailingZeros ?? 20);
  return opts.reverse ? [...out].reverse().join('') : out;
}

/** Index of the first bit of the start sentinel (whole pattern, parity included), or -1. */
function startAt(cs: TrackCharset, bits: string): number {
  const i = bits.indexOf('1');
  if (i < 0) return -1;
  return bits.startsWith(charBits(cs, charValue(cs, cs.startSentinel)), i) ? i : -1;
}

/**
 * Decodes raw head bits in either swipe direction to the track string from start to end sentinel
 * (section 4): skip leading zeros; if the first character is not the start sentinel, try the
 * reversed string; neither -> BAD_FORMAT. Read characters to the end sentinel (BAD_FORMAT when the
 * bits run out), every parity bit checked (BAD_PARITY); then the LRC: BAD_LRC when missing (too
 * few bits, or five/seven zero bits: blank stripe, never a character with odd parity), BAD_PARITY
 * for its parity, BAD_LRC when it does not match.
 *
 * Where section 4 read literally fails real cards: a backwards swipe can begin with the start
 * sentinel's pattern too, since the LRC read backwards (parity bit first) equals it for one LRC
 * value in 16 on track 2 (':' -> 1,1,0,1,0) and one in 64 on track 1 ('1'); the forward read then
 * fails, or even yields a short valid-looking track (a property test found `;?` + LRC inside a
 * reversed track 2). So both directions that begin with the start sentinel are read, and the
 * choice is: a read followed only by zero bits (a blank stripe after the LRC), forward first; else
 * any read that succeeded, forward first; else the error of the forward read (the reversed one's
 * when only it began with the start sentinel). On every input where the literal reading succeeds
 * with a clean tail, the result is the same.
 */
export function decodeTrackBits(track: TrackNumber, bits: string): string {
  needInteger('decodeTrackBits', 'track', track, 1, 2);
  needString('decodeTrackBits', 'bits', bits);
  const cs = charset(track);
  if (typeof bits !== 'string' || !/^[01]*$/.test(bits)) fail('BAD_FORMAT', 'bits must be a string of 0 and 1', { track });
  type Attempt = { data: string; clean: boolean } | { error: unknown } | undefined;
  const attempt = (s: string): Attempt => {
    const pos = startAt(cs, s);
    if (pos < 0) return undefined;
    try {
      return readTrack(cs, s, pos);
    } catch (error) {
      return { error };
    }
  };
  const fwd = attempt(bits);
  if (fwd && 'data' in fwd && fwd.clean) return fwd.data;
  const rev = attempt([...bits].reverse().join(''));
  if (rev && 'data' in rev && rev.clean) return rev.data;
  if (fwd && 'data' in fwd) return fwd.data;
  if (rev && 'data' in rev) return rev.data;
  if (fwd) throw fwd.error;
  if (rev) throw rev.error;
  fail('BAD_FORMAT', `no track ${track} start sentinel ${cs.startSentinel} in either direction`, { track });
}

/** Reads characters from `start` (the start sentinel) through the LRC; `clean` when only zeros follow. */
function readTrack(cs: TrackCharset, s: string, start: number): { data: string; clean: boolean } {
  const track = cs.track;
  const n = cs.dataBits + 1;
  const read = (at: number): { value: number; parityOk: boolean; blank: boolean } => {
    let value = 0;
    for (let b = 0; b < cs.dataBits; b++) if (s.charCodeAt(at + b) === 49) value |= 1 << b;
    const p = s.charCodeAt(at + cs.dataBits) === 49 ? 1 : 0;
    return { value, parityOk: p === oddParityBit(value), blank: value === 0 && p === 0 };
  };
  let pos = start;
  let out = '';
  let xor = 0;
  const endValue = charValue(cs, cs.endSentinel);
  for (;;) {
    if (pos + n > s.length) fail('BAD_FORMAT', `track ${track} bits end before the end sentinel`, { track, offset: out.length });
    const c = read(pos);
    if (!c.parityOk) fail('BAD_PARITY', `track ${track} character ${out.length} has a bad parity bit`, { track, offset: out.length });
    out += String.fromCharCode(cs.base + c.value);
    xor ^= c.value;
    pos += n;
    if (c.value === endValue) break;
  }
  if (pos + n > s.length) fail('BAD_LRC', `track ${track} has no LRC character after the end sentinel`, { track, offset: out.length });
  const lrc = read(pos);
  if (lrc.blank) fail('BAD_LRC', `track ${track} has no LRC character after the end sentinel (blank bits)`, { track, offset: out.length });
  if (!lrc.parityOk) fail('BAD_PARITY', `track ${track} LRC character has a bad parity bit`, { track, offset: out.length });
  if (lrc.value !== xor) fail('BAD_LRC', `track ${track} LRC does not match the data`, { track, offset: out.length });
  return { data: out, clean: s.indexOf('1', pos + n) < 0 };
}
