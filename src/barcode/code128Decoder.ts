/**
 * Our own Code 128 reference decoder (ISO/IEC 15417 reference decode algorithm), working from
 * measured element widths (bar, space, bar, ... in any unit), independent of zxing and bwip-js.
 *
 * Each symbol character is six elements of 11 modules. The decoder measures the character width S
 * and the four edge-to-similar-edge distances e1..e4 (bar+space, space+bar, ...), which do not
 * change when all bars grow or shrink by the same amount (ink spread). Each e_i is rounded to an
 * integer number of modules E_i = round(11 e_i / S), valid from 2 to 7; (E1..E4) names the
 * character (they are unique over the table, checked in test/unit/barcode/barcode-code128.test.ts).
 *
 * Decodability (ISO/IEC 15416, symbol character decodability for (n,k) codes): the reference
 * thresholds lie half a module either side of each E_i, so the margin K left to the worst e_i over
 * the ideal margin S/(2n) is V_C = 1 - 2 max_i |11 e_i / S - E_i|. The symbol's V is the lowest V_C.
 */
import { CODE128_PATTERNS, CODE_A, CODE_B, CODE_C, FNC1, SHIFT, START_A, START_C, STOP, edgeSums, patternWidths } from './code128Table.js';
import { needArray } from '../codec/guard.js';

export interface Code128Decode {
  ok: true;
  text: string;
  /** Symbol character values, start and check character included, stop excluded. */
  values: number[];
  /** Decodability V (0..1): lowest V_C over the characters, stop included. */
  decodability: number;
  /** Average achieved module width (unit of the input), from the total symbol width / modules. */
  moduleWidth: number;
  /** True when the widths were read right to left (symbol upside down). */
  reversed: boolean;
}

export interface Code128Failure {
  ok: false;
  reason: string;
}

/** (E1,E2,E3,E4) key -> value, built from the table. */
const BY_EDGES = new Map<string, number>();
CODE128_PATTERNS.forEach((_, v) => BY_EDGES.set(edgeSums(patternWidths(v)).join(','), v));

function decodeCharacter(w: readonly number[], at: number): { value: number; v: number } | undefined {
  let s = 0;
  for (let i = 0; i < 6; i++) s += w[at + i];
  if (!(s > 0)) return undefined;
  const es: number[] = [];
  let worst = 0;
  for (let i = 0; i < 4; i++) {
    const m = ((w[at + i] + w[at + i + 1]) * 11) / s;
    const e = Math.round(m);
    if (e < 2 || e > 7) return undefined;
    worst = Math.max(worst, Math.abs(m - e));
    es.push(e);
  }
  const value = BY_EDGES.get(es.join(','));
  if (value === undefined) return undefined;
  return { value, v: 1 - 2 * worst };
}

/** Decodes one direction; `widths` start with the first bar of the start character. */
function decodeForward(widths: readonly number[], reversed: boolean): Code128Decode | Code128Failure {
  const n = widths.length;
  if (n < 6 * 3 + 7 || (n - 7) % 6 !== 0) return { ok: false, reason: `element count ${n} is not 6k+7` };
  const chars = (n - 7) / 6;
  const values: number[] = [];
  let vMin = 1;
  for (let c = 0; c <= chars; c++) {
    const d = decodeCharacter(widths, c * 6);
    if (!d) return { ok: false, reason: `character ${c} does not decode` };
    values.push(d.value);
    vMin = Math.min(vMin, d.v);
  }
  const stop = values.pop()!;
  if (stop !== STOP) return { ok: false, reason: 'no stop character' };
  // The stop's final bar is 2 modules: check it against the stop's first 11 modules.
  const stopS = widths.slice(n - 7, n - 1).reduce((a, b) => a + b, 0);
  const last = (widths[n - 1] * 11) / stopS;
  if (Math.round(last) !== 2) return { ok: false, reason: 'stop bar is not 2 modules' };
  if (values[0] < START_A) return { ok: false, reason: 'no start character' };
  const check = values[values.length - 1];
  let sum = values[0];
  for (let i = 1; i < values.length - 1; i++) sum += i * values[i];
  if (sum % 103 !== check) return { ok: false, reason: 'check character does not match' };
  const text = dataText(values.slice(0, -1));
  if (text === undefined) return { ok: false, reason: 'invalid code set use' };
  const total = widths.reduce((a, b) => a + b, 0);
  return { ok: true, text, values, decodability: vMin, moduleWidth: total / (values.length * 11 + 13), reversed };
}

/** Data characters to text (ISO/IEC 15417 code sets A, B, C; FNC1 is dropped, FNC2-4 unsupported). */
function dataText(values: number[]): string | undefined {
  let set: 'A' | 'B' | 'C' = values[0] === START_A ? 'A' : values[0] === START_C ? 'C' : 'B';
  let out = '';
  let shifted = false;
  for (const v of values.slice(1)) {
    const cur = shifted ? (set === 'A' ? 'B' : 'A') : set;
    shifted = false;
    if (cur === 'C') {
      // In code set C, 0..99 are digit pairs (99 included); 100 = Code B, 101 = Code A.
      if (v < 100) out += String(v).padStart(2, '0');
      else if (v === CODE_B) set = 'B';
      else if (v === CODE_A) set = 'A';
      else if (v === FNC1) continue;
      else return undefined;
      continue;
    }
    if (v < 96) out += String.fromCharCode(cur === 'B' ? 32 + v : v < 64 ? 32 + v : v - 64);
    else if (v === SHIFT) shifted = true;
    else if (v === CODE_C) set = 'C';
    else if (v === CODE_B && cur === 'A') set = 'B';
    else if (v === CODE_A && cur === 'B') set = 'A';
    else if (v === FNC1) continue;
    else return undefined; // FNC2/3/4 not used by this format
  }
  return out;
}

/**
 * Decodes a Code 128 symbol from its element widths, bar first (quiet zones excluded). Tries left
 * to right, then right to left. Never throws.
 */
export function decodeCode128(widths: readonly number[]): Code128Decode | Code128Failure {
  needArray('decodeCode128', 'widths', widths);
  const fwd = decodeForward(widths, false);
  if (fwd.ok) return fwd;
  const rev = decodeForward([...widths].reverse(), true);
  return rev.ok ? rev : fwd;
}

/** The element widths (modules) of a Code 128 symbol for given values (start, data, check), stop appended. */
export function code128Widths(values: readonly number[]): number[] {
  needArray('code128Widths', 'values', values);
  return [...values, STOP].flatMap(patternWidths);
}
