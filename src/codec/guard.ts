/**
 * Argument guards of the public entry points (issue 19 item 17): a wrong-typed argument fails at
 * the door with HmskError INVALID_ARGUMENT naming the function and the parameter, never as a
 * TypeError from deep inside. One place for every such check, so every entry point says the same
 * thing the same way.
 *
 * The checks on the hot decode paths are `instanceof` and `typeof` tests: they allocate nothing
 * (bench gate-block/record/decision bytes/op stay 0); the message is built only when one fails.
 */
import { HmskError } from './errors.js';

/** A short, safe description of a value for an error message (never its whole content). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Date) return 'a Date';
  if (v instanceof ArrayBuffer) return 'an ArrayBuffer';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : String(v);
  if (typeof v === 'string') return v.length > 20 ? `a string of ${v.length} characters` : `the string ${JSON.stringify(v)}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

/** The error every guard throws: `fn: param must be expected, got what`. */
export function argumentError(fn: string, param: string, expected: string, got: unknown): HmskError {
  return new HmskError('INVALID_ARGUMENT', `${fn}: ${param} must be ${expected}, got ${describeValue(got)}`, { field: param });
}

/**
 * Bytes are a Uint8Array (a Node Buffer is one), nothing else: not a number[], not an ArrayBuffer,
 * not an object with a `length`. One rule for every decoder, so `decodeRecord` and
 * `decodeGateBlock` accept the same things.
 */
export function needBytes(fn: string, param: string, v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw argumentError(fn, param, 'a Uint8Array', v);
}

/** Bytes of an exact length (a key, a UID of 4 or 7 bytes...). */
export function needBytesOfLength(fn: string, param: string, v: unknown, lengths: readonly number[]): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array) || !lengths.includes(v.length)) throw argumentError(fn, param, `a Uint8Array of ${lengths.join(' or ')} bytes`, v);
}

export function needString(fn: string, param: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') throw argumentError(fn, param, 'a string', v);
}

/** A plain object (not null, not an array). */
export function needObject(fn: string, param: string, v: unknown): asserts v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw argumentError(fn, param, 'an object', v);
}

/** An optional options object: undefined or a plain object. */
export function needOptions(fn: string, param: string, v: unknown): asserts v is Record<string, unknown> | undefined {
  if (v !== undefined) needObject(fn, param, v);
}

export function needFunction(fn: string, param: string, v: unknown): asserts v is (...a: never[]) => unknown {
  if (typeof v !== 'function') throw argumentError(fn, param, 'a function', v);
}

/** An integer in [min, max]. */
export function needInteger(fn: string, param: string, v: unknown, min: number, max: number): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw argumentError(fn, param, `an integer ${min} ..= ${max}`, v);
}

export function needArray(fn: string, param: string, v: unknown): asserts v is unknown[] {
  if (!Array.isArray(v)) throw argumentError(fn, param, 'an array', v);
}

/**
 * The instants a gate decides at: 1900-01-01 ..= 9999-12-31 (UTC), the years of ISO 8601's
 * four-digit form, which the vector files' `now` uses (test-vectors/gate.json goes to 2200).
 * -1e15 ms (year -29719) or NaN is a bug in the caller, not a time to decide at.
 */
export const INSTANT_MIN_MS = Date.UTC(1900, 0, 1);
export const INSTANT_MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An instant as epoch milliseconds: a finite number in the span above, or a valid Date (converted,
 * no allocation). Returns the milliseconds.
 */
export function needInstant(fn: string, param: string, v: unknown): number {
  const ms = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : NaN;
  // NaN fails both comparisons' negation: !(ms >= min) is true for NaN.
  if (!(ms >= INSTANT_MIN_MS && ms <= INSTANT_MAX_MS)) throw argumentError(fn, param, 'a Date or epoch milliseconds within 1900 ..= 9999', v);
  return ms;
}

export function needBoolean(fn: string, param: string, v: unknown): asserts v is boolean {
  if (typeof v !== 'boolean') throw argumentError(fn, param, 'true or false', v);
}

/** A finite number. */
export function needNumber(fn: string, param: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw argumentError(fn, param, 'a finite number', v);
}

/** One of the listed strings (a key type, a format name...). */
export function needOneOf<T extends string>(fn: string, param: string, v: unknown, allowed: readonly T[]): asserts v is T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw argumentError(fn, param, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
}

/** An array of Uint8Array (card images, dumps: blocks). */
export function needBlocks(fn: string, param: string, v: unknown): asserts v is Uint8Array[] {
  if (!Array.isArray(v) || !v.every((b) => b instanceof Uint8Array)) throw argumentError(fn, param, 'an array of Uint8Array blocks', v);
}

/**
 * A MIFARE Classic card as the card layer takes it (src/transport/card.ts MifareClassicCard):
 * a `uid` Uint8Array and the methods authenticate, readBlock, writeBlock.
 */
export function needCard(fn: string, v: unknown): void {
  const c = v as { uid?: unknown; authenticate?: unknown; readBlock?: unknown; writeBlock?: unknown } | null;
  if (c === null || typeof c !== 'object' || !(c.uid instanceof Uint8Array) || typeof c.authenticate !== 'function' || typeof c.readBlock !== 'function' || typeof c.writeBlock !== 'function')
    throw argumentError(fn, 'card', 'a MifareClassicCard (uid, authenticate, readBlock, writeBlock)', v);
}

/** Pixels as src/barcode/image.ts holds them: integer width and height and a Uint8Array `data`. */
export function needPixels(fn: string, v: unknown): void {
  const img = v as { width?: unknown; height?: unknown; data?: unknown } | null;
  if (img === null || typeof img !== 'object' || !Number.isInteger(img.width) || !Number.isInteger(img.height) || !(img.data instanceof Uint8Array))
    throw argumentError(fn, 'image', 'an image {width, height, data: Uint8Array}', v);
}

/** An encoded image file (PNG, JPEG bytes) or decoded pixels. */
export function needImage(fn: string, v: unknown): void {
  if (!(v instanceof Uint8Array)) needPixels(fn, v);
}

/** A byte link (src/transport/serial.ts SerialLink, hid.ts HidLink): `write` and `onData` or `onReport` methods. */
export function needLink(fn: string, v: unknown): void {
  const l = v as { write?: unknown; onData?: unknown; onReport?: unknown } | null;
  if (l === null || typeof l !== 'object' || typeof l.write !== 'function' || (typeof l.onData !== 'function' && typeof l.onReport !== 'function'))
    throw argumentError(fn, 'link', 'a SerialLink or HidLink', v);
}
