/**
 * `decode-gate` vectors (spec section 8): the gate block as hex -> the gate fields of section 2.
 * Input that is not hex is a length problem of the block, so it fails with BAD_LENGTH.
 */
import type { KindHandler } from '../kind.js';
import { fail } from '../../codec/errors.js';
import { tryFromHex } from '../../codec/hex.js';
import { decodeGateBlock } from '../../codec/record.js';

export const handler: KindHandler = (input) => {
  const bytes = typeof input.gateBlock === 'string' ? tryFromHex(input.gateBlock) : undefined;
  if (bytes === undefined) fail('BAD_LENGTH', 'gate block is not a hex string of whole bytes', { field: 'gateBlock' });
  return { holder: { ...decodeGateBlock(bytes) } };
};
