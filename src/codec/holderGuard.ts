/**
 * The argument guard for functions that take a validated holder (tracks, encodeAllMedia): a module
 * of its own so that it is not part of the public surface that src/index.ts re-exports.
 */
import { argumentError } from './guard.js';
import { isValidatedHolder, type ValidHolder } from './holder.js';

/** A holder validateHolder returned, or HmskError INVALID_ARGUMENT naming `fn`. */
export function needValidHolder(fn: string, v: unknown): asserts v is ValidHolder {
  if (!isValidatedHolder(v)) throw argumentError(fn, 'holder', 'a holder returned by validateHolder', v);
}
