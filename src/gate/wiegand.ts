/**
 * Wiegand frames for door and turnstile controllers (HID format descriptions H10301 and H10304).
 * Pure encoders and parity-checking decoders; a frame is its bit count and its value, the first
 * transmitted bit being the most significant.
 *
 * H10301, 26 bits (HID "Standard 26-bit"):
 *   bit 1        even parity over bits 2-13
 *   bits 2-9     facility code, 8 bits (0..255)
 *   bits 10-25   card number, 16 bits (0..65 535)
 *   bit 26       odd parity over bits 14-25
 * H10304, 37 bits (HID 37-bit with facility code):
 *   bit 1        even parity over bits 2-19
 *   bits 2-17    facility code, 16 bits (0..65 535)
 *   bits 18-36   card number, 19 bits (0..524 287)
 *   bit 37       odd parity over bits 19-36
 *
 * An HMS card number (up to 12 digits) does not fit either format; the caller decides what card
 * number the controller knows the holder by (a site's own number, or the low digits), and the
 * encoder refuses a value out of range rather than cut it silently.
 */
import { needObject, needNumber, needOneOf } from '../codec/guard.js';

export type WiegandFormat = 'H10301' | 'H10304';

export interface WiegandFrame {
  format: WiegandFormat;
  bitCount: number;
  /** The frame as an integer, first bit most significant (< 2^37, exact in a double). */
  value: number;
}

interface Layout {
  bits: number;
  fcBits: number;
  cnBits: number;
  /** Data bits covered by the leading even parity (from bit 2) and the trailing odd parity (up to bit n-1). */
  evenSpan: number;
  oddSpan: number;
}

const LAYOUTS: Record<WiegandFormat, Layout> = {
  H10301: { bits: 26, fcBits: 8, cnBits: 16, evenSpan: 12, oddSpan: 12 },
  H10304: { bits: 37, fcBits: 16, cnBits: 19, evenSpan: 18, oddSpan: 18 },
};

/** A frame from encodeWiegand: its format and its bits. */
function needWiegandFrame(fn: string, frame: unknown): asserts frame is WiegandFrame {
  needObject(fn, 'frame', frame);
  needOneOf(fn, 'frame.format', frame.format, ['H10301', 'H10304']);
}

/** Number of 1 bits in the `n` bits of `v` from bit position `from` (0 = least significant). */
function ones(v: number, from: number, n: number): number {
  let c = 0;
  for (let i = from; i < from + n; i++) c += Math.floor(v / 2 ** i) % 2;
  return c;
}

function checkField(name: string, v: number, bits: number): void {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) throw new RangeError(`${name} ${v} does not fit ${bits} bits (0..${2 ** bits - 1})`);
}

export function encodeWiegand(format: WiegandFormat, facilityCode: number, cardNumber: number): WiegandFrame {
  needOneOf('encodeWiegand', 'format', format, ['H10301', 'H10304']);
  needNumber('encodeWiegand', 'facilityCode', facilityCode);
  needNumber('encodeWiegand', 'cardNumber', cardNumber);
  const L = LAYOUTS[format];
  if (!L) throw new RangeError(`unknown Wiegand format ${format}`);
  checkField(`${format} facility code`, facilityCode, L.fcBits);
  checkField(`${format} card number`, cardNumber, L.cnBits);
  // Data bits (without parity), facility code first: fcBits + cnBits bits.
  const data = facilityCode * 2 ** L.cnBits + cardNumber;
  const dataBits = L.fcBits + L.cnBits;
  const even = ones(data, dataBits - L.evenSpan, L.evenSpan) % 2; // makes the leading group even
  const odd = 1 - (ones(data, 0, L.oddSpan) % 2); // makes the trailing group odd
  return { format, bitCount: L.bits, value: even * 2 ** (L.bits - 1) + data * 2 + odd };
}

/** H10301 (26-bit) frame; facility code from the site's configuration. */
export const encodeH10301 = (facilityCode: number, cardNumber: number): WiegandFrame => encodeWiegand('H10301', facilityCode, cardNumber);
/** H10304 (37-bit) frame. */
export const encodeH10304 = (facilityCode: number, cardNumber: number): WiegandFrame => encodeWiegand('H10304', facilityCode, cardNumber);

export interface DecodedWiegand {
  facilityCode: number;
  cardNumber: number;
  parityOk: boolean;
}

/** Splits a frame value into its fields and checks both parity bits. */
export function decodeWiegand(format: WiegandFormat, value: number): DecodedWiegand {
  needOneOf('decodeWiegand', 'format', format, ['H10301', 'H10304']);
  needNumber('decodeWiegand', 'value', value);
  const L = LAYOUTS[format];
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** L.bits) throw new RangeError(`${format}: value does not fit ${L.bits} bits`);
  const dataBits = L.fcBits + L.cnBits;
  const data = Math.floor(value / 2) % 2 ** dataBits;
  const even = Math.floor(value / 2 ** (L.bits - 1));
  const odd = value % 2;
  const parityOk = (ones(data, dataBits - L.evenSpan, L.evenSpan) + even) % 2 === 0 && (ones(data, 0, L.oddSpan) + odd) % 2 === 1;
  return { facilityCode: Math.floor(data / 2 ** L.cnBits), cardNumber: data % 2 ** L.cnBits, parityOk };
}

/** The frame as a string of 0/1, first transmitted bit first. */
export function wiegandBits(frame: WiegandFrame): string {
  needWiegandFrame('wiegandBits', frame);
  return frame.value.toString(2).padStart(frame.bitCount, '0');
}

/** The frame's bits packed MSB first into whole bytes, zero-padded at the end (as osdp_RAW carries them). */
export function wiegandBytes(frame: WiegandFrame): Uint8Array {
  needWiegandFrame('wiegandBytes', frame);
  const bits = wiegandBits(frame);
  const out = new Uint8Array(Math.ceil(frame.bitCount / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}
