/**
 * Reading an HMS card (spec sections 2, 3 and 5) over the block interface of src/transport/card.ts.
 *
 * gateRead is what an access-control gate runs on every tap: exactly one authentication (key A of
 * sector 1, derived from the read master) and one read (block 4, the gate block), then the
 * section 2 gate-block decode. Gates hold the read master only.
 *
 * fullRead is a test lab's read: sector 0 with the public MAD key, sectors 1-3 and, for a signed
 * card, 4-5 with their derived keys A, then the checks of section 5 in the spec's order.
 */
import { HmskError } from '../codec/errors.js';
import { toHex } from '../codec/hex.js';
import { decodeGateBlock } from '../codec/record.js';
import { FLAG_SIGNED, OFFSET_FLAGS } from '../codec/recordLayout.js';
import type { DecodedHolder, GateFields } from '../codec/types.js';
import type { MifareClassicCard } from '../transport/card.js';
import { deriveKey } from './kdf.js';
import { HMSK_SIGNATURE_AID, parseMad, type Mad } from './mad.js';
import { BLOCKS, BLOCK_SIZE, GATE_BLOCK, MAD_BLOCKS, MAD_KEY_A, RECORD_BLOCKS, gatherBlocks, trailerBlock } from './layout.js';
import { CardSession } from './session.js';
import type { PublicKeys } from './signature.js';
import { verifyCardImage } from './verify.js';
import { needBytesOfLength, needObject, needCard } from '../codec/guard.js';

export interface GateRead {
  holder: GateFields;
  /** The 16 bytes of block 4 as read. */
  gateBlock: Uint8Array;
}

/**
 * The gate read: one authentication, one read of block 4, the section 2 decode. Throws CardError
 * for the card (AUTH_FAILED: not our card, or a card torn before sector 1 was finished) and
 * HmskError for the gate block (BLANK, BAD_CRC, ...).
 */
export async function gateRead(card: MifareClassicCard, readMaster: Uint8Array): Promise<GateRead> {
  needCard('gateRead', card);
  needBytesOfLength('gateRead', 'readMaster', readMaster, [16]);
  await card.authenticate(GATE_BLOCK, 'A', deriveKey(readMaster, card.uid, 1, 'A'));
  const gateBlock = await card.readBlock(GATE_BLOCK);
  return { holder: decodeGateBlock(gateBlock), gateBlock };
}

export interface FullRead {
  uid: string;
  /** The 64 blocks as read; blocks not read are zero, trailers as the chip shows them (key A zeros). */
  blocks: Uint8Array[];
  /** Record bytes 0-143 (blocks 4-14 without trailers). */
  record: Uint8Array;
  /** The MAD, when its CRC is right. */
  mad?: Mad;
  /** 'valid' or 'absent' when the card verifies (section 5); undefined when a check failed. */
  signature?: 'valid' | 'absent';
  keyId?: number;
  holder?: DecodedHolder;
  /** The first section 5 check that failed (BAD_MAD_CRC, UNKNOWN_FORMAT, BAD_CRC, SIGNATURE_INVALID, UNKNOWN_KEY, ...). */
  error?: HmskError;
  operations: number;
}

export interface FullReadOptions {
  readMaster: Uint8Array;
  publicKeys?: PublicKeys;
}

/**
 * Reads sectors 0-3 (and 4-5 when the MAD or the record's flag bit 0 says the card is signed)
 * and verifies them per section 5. Card errors throw; verification failures are returned in
 * `error`, with everything that was read, so a lab can see what is wrong.
 */
export async function fullRead(card: MifareClassicCard, opts: FullReadOptions): Promise<FullRead> {
  needCard('fullRead', card);
  needObject('fullRead', 'opts', opts);
  const session = new CardSession(card);
  const blocks: Uint8Array[] = Array.from({ length: BLOCKS }, () => new Uint8Array(BLOCK_SIZE));
  const readSector = async (s: number) => {
    const key = s === 0 ? MAD_KEY_A : deriveKey(opts.readMaster, card.uid, s, 'A');
    await session.authenticate(trailerBlock(s), { keyType: 'A', key });
    for (let b = trailerBlock(s) - 3; b <= trailerBlock(s); b++) blocks[b] = await session.read(b);
  };
  for (const s of [0, 1, 2, 3]) await readSector(s);
  let mad: Mad | undefined;
  try {
    mad = parseMad(blocks[MAD_BLOCKS[0]], blocks[MAD_BLOCKS[1]]);
  } catch {
    mad = undefined;
  }
  // Record byte 19 (the flags) = block 5 byte 3.
  const flagSigned = (blocks[RECORD_BLOCKS[Math.floor(OFFSET_FLAGS / BLOCK_SIZE)]][OFFSET_FLAGS % BLOCK_SIZE] & FLAG_SIGNED) !== 0;
  const madSigned = mad !== undefined && mad.aids[3] === HMSK_SIGNATURE_AID && mad.aids[4] === HMSK_SIGNATURE_AID;
  if (flagSigned || madSigned) for (const s of [4, 5]) await readSector(s);

  const result: FullRead = { uid: toHex(card.uid), blocks, record: gatherBlocks(blocks, RECORD_BLOCKS), mad, operations: session.operations };
  try {
    const v = verifyCardImage(blocks, card.uid, opts.publicKeys ?? {});
    Object.assign(result, { holder: v.holder, signature: v.signature, keyId: v.keyId });
  } catch (e) {
    if (!(e instanceof HmskError)) throw e;
    result.error = e;
  }
  return result;
}
