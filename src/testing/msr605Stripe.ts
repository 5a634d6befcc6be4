/**
 * The magnetic stripe inside the MSR605 emulator: three tracks of bits with a coercivity, and the
 * ISO/IEC 7811-2 coding the device applies in ISO mode (track 1: 6 data bits + odd parity, ASCII
 * 0x20-0x5F; tracks 2 and 3: 4 data bits + odd parity, ASCII 0x30-0x3F; data LSB first; LRC after
 * the end sentinel). Written independently of src/codec so that the emulator checks the driver
 * and the codec instead of echoing them.
 */
import { needOneOf } from '../codec/guard.js';

export type Coercivity = 'hi' | 'lo';

/** A card: each track's bits in forward swipe order ('' = blank), and the stripe's coercivity. */
export interface EmulatedCard {
  tracks: [string, string, string];
  coercivity: Coercivity;
}

export function blankCard(coercivity: Coercivity = 'hi'): EmulatedCard {
  needOneOf('blankCard', 'coercivity', coercivity, ['hi', 'lo']);
  return { tracks: ['', '', ''], coercivity };
}

const FORMAT = [
  { bits: 6, base: 0x20, ss: 0x25 },
  { bits: 4, base: 0x30, ss: 0x3b },
  { bits: 4, base: 0x30, ss: 0x3b },
];

function charToBits(value: number, bits: number): string {
  let s = '';
  let ones = 0;
  for (let b = 0; b < bits; b++) {
    const bit = (value >> b) & 1;
    ones += bit;
    s += bit ? '1' : '0';
  }
  return s + (ones % 2 === 0 ? '1' : '0');
}

/**
 * ISO encoding of `data` (no sentinels, as an ISO write carries it) onto track `t` (0-based):
 * start sentinel, data, end sentinel, LRC. Returns undefined for a character outside the set.
 */
export function isoTrackBits(t: number, data: string): string | undefined {
  const f = FORMAT[t];
  const chars = [f.ss, ...Array.from(data, (c) => c.charCodeAt(0)), 0x3f];
  let out = '';
  let lrc = 0;
  for (const code of chars) {
    const v = code - f.base;
    if (v < 0 || v >= 1 << f.bits) return undefined;
    lrc ^= v;
    out += charToBits(v, f.bits);
  }
  return out + charToBits(lrc, f.bits);
}

function readForward(t: number, bits: string): { text: string; clean: boolean } | undefined {
  const f = FORMAT[t];
  const n = f.bits + 1;
  let i = bits.indexOf('1');
  if (i < 0) return undefined;
  let text = '';
  let lrc = 0;
  for (;;) {
    if (i + n > bits.length) return undefined;
    const cell = bits.slice(i, i + n);
    let v = 0;
    for (let b = 0; b < f.bits; b++) if (cell[b] === '1') v |= 1 << b;
    if ((cell.split('1').length - 1) % 2 !== 1) return undefined; // odd parity over data + parity
    if (text === '' && v + f.base !== f.ss) return undefined;
    text += String.fromCharCode(v + f.base);
    lrc ^= v;
    i += n;
    if (v + f.base === 0x3f) break;
  }
  if (i + n > bits.length) return undefined;
  const cell = bits.slice(i, i + n);
  let v = 0;
  for (let b = 0; b < f.bits; b++) if (cell[b] === '1') v |= 1 << b;
  if ((cell.split('1').length - 1) % 2 !== 1 || v !== lrc) return undefined;
  return { text, clean: !bits.includes('1', i + n) };
}

/**
 * What the device's ISO read yields for a track swiped in `order` (bits as the head meets them):
 * '' for a blank track, the string with sentinels for a good one, undefined for a failed read.
 * A reader head decodes either direction. Backwards, the LRC can look like a start sentinel and
 * even frame a short valid track (';?' + LRC), so a reading followed by blank stripe wins.
 */
export function isoReadTrack(t: number, bits: string): string | undefined {
  if (!bits.includes('1')) return '';
  const fwd = readForward(t, bits);
  if (fwd?.clean) return fwd.text;
  const rev = readForward(t, [...bits].reverse().join(''));
  if (rev?.clean) return rev.text;
  return (fwd ?? rev)?.text;
}

/** Raw read bytes (manual section 7 read table): BPC bits a byte, the first bit the head meets in bit BPC-1. */
export function rawReadBytes(bits: string, bpc: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < bits.length; i += bpc) {
    let v = 0;
    for (let j = 0; j < bpc; j++) if (bits[i + j] === '1') v |= 1 << (bpc - 1 - j);
    bytes.push(v);
  }
  return bytes;
}

/** Raw write bytes -> stripe bits (manual section 9 write tables): bit 0 of each byte first, BPC bits a byte. */
export function rawWriteBits(bytes: Uint8Array, bpc: number): string {
  let bits = '';
  for (const byte of bytes) for (let j = 0; j < bpc; j++) bits += (byte >> j) & 1 ? '1' : '0';
  return bits;
}
