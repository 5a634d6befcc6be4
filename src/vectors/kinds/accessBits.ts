/**
 * `access-bits` vectors (spec section 8): 3 access bytes -> four [c1, c2, c3]; bytes whose
 * inverted copies disagree fail with INVALID_ACCESS_BITS (section 3).
 */
import type { KindHandler } from '../kind.js';
import { fail } from '../../codec/errors.js';
import { tryFromHex } from '../../codec/hex.js';
import { decodeAccessBits } from '../../card/accessBits.js';

export const handler: KindHandler = (input) => {
  const bytes = typeof input.bytes === 'string' ? tryFromHex(input.bytes) : undefined;
  if (bytes === undefined || bytes.length !== 3) fail('INVALID_ACCESS_BITS', 'access bits must be 3 bytes of hex');
  return { conditions: decodeAccessBits(bytes).map((c) => [...c]) };
};
