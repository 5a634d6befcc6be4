/**
 * `decode-record` vectors (spec section 8): the record as hex -> the decoded holder of section 2.
 * Input that is not hex is a length problem of the record, so it fails with BAD_LENGTH.
 */
import type { KindHandler } from '../kind.js';
import { fail } from '../../codec/errors.js';
import { tryFromHex } from '../../codec/hex.js';
import { decodeRecord } from '../../codec/record.js';

export const handler: KindHandler = (input) => {
  const bytes = typeof input.record === 'string' ? tryFromHex(input.record) : undefined;
  if (bytes === undefined) fail('BAD_LENGTH', 'record is not a hex string of whole bytes', { field: 'record' });
  return { holder: { ...decodeRecord(bytes) } };
};
