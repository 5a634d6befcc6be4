/**
 * The 144-byte record and the 16-byte gate block (spec section 2). CONTRACT STUB.
 */
import type { DecodedHolder, EncodeOptions, GateFields, HolderInput } from './types.js';
import type { ValidHolder } from './holder.js';

export const RECORD_LENGTH = 144;
export const GATE_BLOCK_LENGTH = 16;

/** Encodes a holder (validated here unless already a ValidHolder) to the 144 record bytes. */
export function encodeRecord(holder: HolderInput | ValidHolder, opts: EncodeOptions = {}): Uint8Array {
  void holder;
  void opts;
  throw new Error('not implemented yet');
}

/** Decodes record bytes 0-15 with the check order of section 2; throws HmskError. */
export function decodeGateBlock(bytes: Uint8Array): GateFields {
  void bytes;
  throw new Error('not implemented yet');
}

/** Decodes the whole 144-byte record; throws HmskError. */
export function decodeRecord(bytes: Uint8Array): DecodedHolder {
  void bytes;
  throw new Error('not implemented yet');
}

/** The gate block of a voided card: category nibble 0xF, new CRC-16, all else kept (section 3). */
export function voidGateBlock(gateBlock: Uint8Array): Uint8Array {
  void gateBlock;
  throw new Error('not implemented yet');
}
