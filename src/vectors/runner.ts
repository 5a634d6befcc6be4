/**
 * Runs vectors of the shared vector format (spec section 8) through the library. Pure: the caller
 * reads the files; this module only interprets them, so the CLI, the test suite and users' own
 * test harnesses all run vectors the same way.
 */
import { HmskError } from '../codec/errors.js';
import type { KindHandler } from './kind.js';
import { handler as encode } from './kinds/encode.js';
import { handler as decodeRecord } from './kinds/decodeRecord.js';
import { handler as decodeGate } from './kinds/decodeGate.js';
import { handler as card } from './kinds/card.js';
import { handler as verifyCard } from './kinds/verifyCard.js';
import { handler as kdf } from './kinds/kdf.js';
import { handler as accessBits } from './kinds/accessBits.js';
import { handler as mad } from './kinds/mad.js';
import { handler as trackDecode } from './kinds/trackDecode.js';
import { handler as trackBits } from './kinds/trackBits.js';
import { handler as gate } from './kinds/gate.js';
import { argumentError, needObject, needArray } from '../codec/guard.js';

export const VECTOR_FORMAT = 'hmsk-vectors/1';

/** The kinds of section 8 and their handlers. */
export const KINDS: Readonly<Record<string, KindHandler>> = {
  encode,
  'decode-record': decodeRecord,
  'decode-gate': decodeGate,
  card,
  'verify-card': verifyCard,
  kdf,
  'access-bits': accessBits,
  mad,
  'track-decode': trackDecode,
  'track-bits': trackBits,
  gate,
};

export interface Vector {
  id: string;
  kind: string;
  input: Record<string, unknown>;
  expect: Record<string, unknown>;
  source?: string;
}

export interface VectorResult {
  id: string;
  kind: string;
  pass: boolean;
  expected: unknown;
  actual: unknown;
  /** Why it failed, in one line. */
  message?: string;
}

/** Keys whose values are hex strings: compared without regard to case (section 8). */
const HEX_KEYS = new Set(['record', 'gateBlock', 'blocks', 'key', 'bytes']);

/** A vector file of the wrong shape: HmskError INVALID_ARGUMENT saying what is wrong. */
function vectorFileError(message: string): HmskError {
  return new HmskError('INVALID_ARGUMENT', message);
}

/** Checks the shape of a vector file; throws an HmskError that says what is wrong. */
export function parseVectorFile(json: unknown, name = 'vector file'): Vector[] {
  const f = json as { format?: unknown; vectors?: unknown };
  if (!f || typeof f !== 'object') throw vectorFileError(`${name}: not a JSON object`);
  if (f.format !== VECTOR_FORMAT) throw vectorFileError(`${name}: format is ${JSON.stringify(f.format)}, expected "${VECTOR_FORMAT}"`);
  if (!Array.isArray(f.vectors)) throw vectorFileError(`${name}: "vectors" is not an array`);
  f.vectors.forEach((v: Vector, i: number) => {
    const at = `${name}: vector ${i}${v && typeof v.id === 'string' ? ` (${v.id})` : ''}`;
    if (!v || typeof v !== 'object') throw vectorFileError(`${at}: not an object`);
    if (typeof v.id !== 'string' || typeof v.kind !== 'string') throw vectorFileError(`${at}: needs string "id" and "kind"`);
    if (!v.input || typeof v.input !== 'object' || !v.expect || typeof v.expect !== 'object') throw vectorFileError(`${at}: needs objects "input" and "expect"`);
  });
  return f.vectors as Vector[];
}

function normalise(key: string | undefined, value: unknown): unknown {
  if (key !== undefined && HEX_KEYS.has(key)) {
    if (typeof value === 'string') return value.toLowerCase();
    if (Array.isArray(value)) return value.map((x) => (typeof x === 'string' ? x.toLowerCase() : x));
  }
  return value;
}

/** Deep equality of JSON values; hex keys compared case-insensitively. */
export function jsonEqual(a: unknown, b: unknown, key?: string): boolean {
  a = normalise(key, a);
  b = normalise(key, b);
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i], key));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as never)[k], (b as never)[k], k));
}

/** An error vector's expect is exactly `{"error": CODE}`; a gate vector's `error` is an output field. */
function expectedError(expect: Record<string, unknown>): string | undefined {
  const keys = Object.keys(expect);
  return keys.length === 1 && keys[0] === 'error' && typeof expect.error === 'string' ? expect.error : undefined;
}

export async function runVector(v: Vector): Promise<VectorResult> {
  needObject('runVector', 'vector', v);
  const base = { id: v.id, kind: v.kind, expected: v.expect };
  const handler = KINDS[v.kind];
  if (!handler) return { ...base, pass: false, actual: null, message: `unknown kind "${v.kind}"` };
  const wantError = expectedError(v.expect);
  let out: Record<string, unknown>;
  try {
    out = await handler(v.input);
  } catch (e) {
    if (e instanceof HmskError) {
      const actual = { error: e.code };
      if (wantError === e.code) return { ...base, pass: true, actual };
      return { ...base, pass: false, actual, message: e.message };
    }
    const msg = e instanceof Error ? e.message : String(e);
    return { ...base, pass: false, actual: { exception: msg }, message: `unexpected exception: ${msg}` };
  }
  if (wantError !== undefined) return { ...base, pass: false, actual: out, message: `expected error ${wantError}, got a result` };
  // Compare only the keys the vector states: a vector may check a subset of the outputs.
  const actual: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const k of Object.keys(v.expect)) {
    actual[k] = out[k];
    if (!jsonEqual(v.expect[k], out[k], k)) bad.push(k);
  }
  return bad.length === 0 ? { ...base, pass: true, actual } : { ...base, pass: false, actual, message: `mismatch in ${bad.join(', ')}` };
}

export interface RunSummary {
  passed: number;
  failed: number;
  results: VectorResult[];
}

export async function runVectors(vectors: Vector[], kinds?: ReadonlySet<string>): Promise<RunSummary> {
  needArray('runVectors', 'vectors', vectors);
  if (kinds !== undefined && !(kinds instanceof Set)) throw argumentError('runVectors', 'kinds', 'a Set of kind names', kinds);
  const results: VectorResult[] = [];
  for (const v of vectors) {
    if (kinds && !kinds.has(v.kind)) continue;
    results.push(await runVector(v));
  }
  const passed = results.filter((r) => r.pass).length;
  return { passed, failed: results.length - passed, results };
}
