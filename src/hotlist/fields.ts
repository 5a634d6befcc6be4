/**
 * Byte-level field parsers shared by the hot-list CSV and JSON readers (spec section 1 card numbers,
 * section 7 statuses and minIssue), on the rules of src/codec/hotlistEntry.ts. They return NaN / -1
 * instead of throwing so the callers can name the file and line in one place.
 */

import { quoteExcerpt } from '../codec/printable.js';
import { HOTLIST_STATUSES } from '../codec/hotlistEntry.js';
import * as Layout from '../codec/recordLayout.js';
import { parseIsoDate } from '../codec/dates.js';

// Own copies of the codec's ranges, for speed (these run on every line of a million-line file):
// V8 folds a module's own consts but loads an imported binding from its cell on every use.
const CARD_NUMBER_DIGITS = Layout.CARD_NUMBER_DIGITS;
const MAX_CARD_NUMBER = Layout.MAX_CARD_NUMBER;
const MAX_ISSUE = Layout.MAX_ISSUE;

/** Card number from ASCII digits b[s..e): leading zeros allowed, 1..999 999 999 999; else NaN. */
export function digitsCardNumber(b: Uint8Array, s: number, e: number): number {
  while (s < e && b[s] === 0x30) s++;
  if (s === e || e - s > CARD_NUMBER_DIGITS) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  // v >= 1: the leading zeros are gone and a digit is left. The range is hotlistEntry.ts's isCardNumberValue.
  return v <= MAX_CARD_NUMBER ? v : NaN;
}

/** Issue number 0..255 from ASCII digits b[s..e); else -1. */
export function digitsIssue(b: Uint8Array, s: number, e: number): number {
  if (s === e || e - s > 3) return -1;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v <= MAX_ISSUE ? v : -1; // v >= 0: digits only (hotlistEntry.ts isMinIssue)
}

/** b[s..e) is a real date YYYY-MM-DD (codec/dates.ts parseIsoDate): a hot-list entry's `expiry`. */
export function isoDate(b: Uint8Array, s: number, e: number): boolean {
  return e - s === 10 && parseIsoDate(String.fromCharCode(...b.subarray(s, e))) !== undefined;
}

const STATUS_WORDS = HOTLIST_STATUSES.map((w) => Uint8Array.from(w, (c) => c.charCodeAt(0)));

/** Index of the status (section 7: lost, stolen, blocked, destroyed) spelled by b[s..e); else -1. */
export function statusIndex(b: Uint8Array, s: number, e: number): number {
  outer: for (let k = 0; k < STATUS_WORDS.length; k++) {
    const w = STATUS_WORDS[k];
    if (w.length !== e - s) continue;
    for (let i = 0; i < w.length; i++) if (b[s + i] !== w[i]) continue outer;
    return k;
  }
  return -1;
}

const utf8 = new TextDecoder('utf-8');

/** Text of b[s..e) for an error message: quoted, made printable, at most 60 characters (codec/printable.ts). */
export function excerpt(b: Uint8Array, s: number, e: number): string {
  return quoteExcerpt(utf8.decode(b.subarray(s, Math.min(e, s + 61 * 4))), 60);
}
