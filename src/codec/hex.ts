/**
 * Hex strings as the vector files use them (spec section 8): upper or lower case, no separators.
 * Node's Buffer does this, but the codec layer stays free of node:* so it runs in browsers too.
 */

import { argumentError, needBytes, needString } from './guard.js';

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  needBytes('toHex', 'bytes', bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return s;
}

/** Parses hex; returns undefined if the text is not an even number of hex digits. */
export function tryFromHex(text: string): Uint8Array | undefined {
  needString('tryFromHex', 'text', text);
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
  return out;
}

/** Parses hex or throws HmskError INVALID_ARGUMENT naming `what`. */
export function fromHex(text: string, what = 'hex'): Uint8Array {
  needString('fromHex', what, text);
  const b = tryFromHex(text);
  if (b === undefined) throw argumentError('fromHex', what, 'an even-length hex string', text);
  return b;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  needBytes('bytesEqual', 'a', a);
  needBytes('bytesEqual', 'b', b);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  parts.forEach((p, i) => needBytes('concatBytes', `parts[${i}]`, p));
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
