/**
 * Verification of a card read in full (spec section 5, "Verifying a card read in full"), in the
 * spec's order, failing with the first code that applies:
 *
 *   1. MAD CRC                                              BAD_MAD_CRC
 *   2. MAD lists 0x4B48 for sectors 1-3                     UNKNOWN_FORMAT
 *   3. the record decodes (section 2)                       the record's code
 *   4. if flag bit 0 is set: MAD lists 0x4B49 for sectors 4-5, and the signature area's tag,
 *      version, algorithm, zero filler and CRC are right    SIGNATURE_INVALID
 *   5. its key id is known                                  UNKNOWN_KEY
 *   6. the signature verifies                               SIGNATURE_INVALID
 */
import { fail } from '../codec/errors.js';
import { decodeRecord } from '../codec/record.js';
import type { DecodedHolder } from '../codec/types.js';
import { HMSK_AID, HMSK_SIGNATURE_AID, parseMad } from './mad.js';
import { BLOCK_SIZE, BLOCKS, MAD_BLOCKS, RECORD_BLOCKS, SIGNATURE_BLOCKS, gatherBlocks } from './layout.js';
import { verifySignatureArea, type PublicKeys } from './signature.js';
import { needBytes, needObject, needBlocks } from '../codec/guard.js';

export interface CardVerification {
  holder: DecodedHolder;
  signature: 'valid' | 'absent';
  /** Key id of the verified signature. */
  keyId?: number;
}

function hex4(n: number): string {
  return '0x' + n.toString(16).padStart(4, '0').toUpperCase();
}

/** Verifies a full 64-block card image read from a card with this UID. */
export function verifyCardImage(blocks: readonly Uint8Array[], uid: Uint8Array, publicKeys: PublicKeys = {}): CardVerification {
  needBlocks('verifyCardImage', 'blocks', blocks);
  needBytes('verifyCardImage', 'uid', uid);
  needObject('verifyCardImage', 'publicKeys', publicKeys instanceof Map ? {} : publicKeys);
  if (blocks.length !== BLOCKS || blocks.some((b) => b.length !== BLOCK_SIZE)) {
    throw new RangeError(`a card image is ${BLOCKS} blocks of ${BLOCK_SIZE} bytes`);
  }
  const mad = parseMad(blocks[MAD_BLOCKS[0]], blocks[MAD_BLOCKS[1]]);
  for (const s of [1, 2, 3]) {
    if (mad.aids[s - 1] !== HMSK_AID) fail('UNKNOWN_FORMAT', `MAD lists AID ${hex4(mad.aids[s - 1])} for sector ${s}, not 0x4B48`, { sector: s });
  }
  const record = gatherBlocks(blocks, RECORD_BLOCKS);
  const holder = decodeRecord(record);
  if (!holder.signed) return { holder, signature: 'absent' };
  for (const s of [4, 5]) {
    if (mad.aids[s - 1] !== HMSK_SIGNATURE_AID) {
      fail('SIGNATURE_INVALID', `record is signed but the MAD lists AID ${hex4(mad.aids[s - 1])} for sector ${s}, not 0x4B49`, { sector: s });
    }
  }
  const keyId = verifySignatureArea(uid, record, gatherBlocks(blocks, SIGNATURE_BLOCKS), publicKeys);
  return { holder, signature: 'valid', keyId };
}
