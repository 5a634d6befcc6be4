/**
 * Fast path for the gate block (spec section 2): decodes into a caller-owned object, allocates
 * nothing, returns a status instead of throwing. CONTRACT STUB: implemented by the codec work.
 */
import { DECODE_CODES, type DecodeErrorCode } from './errors.js';

/** Gate-block fields as numbers. Reused across calls by the gate. */
export interface FastGateBlock {
  /** Category nibble: 1 construction, 2 cleaning, 0xF void. */
  category: number;
  cardNumber: number;
  orgNumber: number;
  /** Expiry as day number since 2000-01-01. */
  expiryDay: number;
  issue: number;
}

export function newFastGateBlock(): FastGateBlock {
  return { category: 0, cardNumber: 0, orgNumber: 0, expiryDay: 0, issue: 0 };
}

/** 0 when the block decodes; otherwise 1 + the index in DECODE_CODES of the spec's error code. */
export function decodeGateBlockFast(bytes: Uint8Array, out: FastGateBlock): number {
  void bytes;
  void out;
  throw new Error('not implemented yet');
}

/** The error code of a non-zero status of decodeGateBlockFast. */
export function statusCode(status: number): DecodeErrorCode {
  return DECODE_CODES[status - 1];
}
