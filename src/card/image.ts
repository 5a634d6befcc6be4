/**
 * The finished 64-block image of an HMS card (spec section 3, with the signature of section 5):
 * what a card holds after a complete encode, keys included in the trailers. The encoder writes
 * exactly these bytes; vectors of kind `card` compare against them.
 */
import { encodeRecord } from '../codec/record.js';
import type { HolderInput } from '../codec/types.js';
import { buildMad, hmskMad } from './mad.js';
import {
  BLOCK_SIZE,
  BLOCKS,
  MAD_BLOCKS,
  RECORD_BLOCKS,
  SECTORS,
  SIGNATURE_BLOCKS,
  hmskSectors,
  manufacturerBlock,
  spreadOverBlocks,
  trailerBlock,
} from './layout.js';
import { buildSignatureArea } from './signature.js';
import { hmskTrailer, transportTrailer } from './trailer.js';
import { needBytes, needBytesOfLength, needObject, needBlocks } from '../codec/guard.js';

export interface CardImageInput {
  holder: HolderInput;
  /** The UID the card reports (4 or 7 bytes for block 0 per section 3). */
  uid: Uint8Array;
  readMaster: Uint8Array;
  writeMaster: Uint8Array;
  /** Ed25519 seed (32 bytes); with `keyId`, the card is signed (section 5). */
  signingKey?: Uint8Array;
  keyId?: number;
  /** Run the truncation algorithm of section 1 instead of failing with TOO_LONG. */
  truncate?: boolean;
  /** Block 0 as the chip has it; default: the section 3 block 0 for the UID. */
  block0?: Uint8Array;
}

/** The 64 blocks of a blank card (section 3): zero data, transport trailers, block 0 of the UID. */
export function blankCardImage(uid: Uint8Array, block0?: Uint8Array): Uint8Array[] {
  needBytes('blankCardImage', 'uid', uid);
  if (block0 === undefined) block0 = manufacturerBlock(uid);
  needBytesOfLength('blankCardImage', 'block0', block0, [16]);
  const blocks: Uint8Array[] = Array.from({ length: BLOCKS }, () => new Uint8Array(BLOCK_SIZE));
  blocks[0] = block0.slice();
  for (let s = 0; s < SECTORS; s++) blocks[trailerBlock(s)] = transportTrailer();
  return blocks;
}

/** The record bytes and signature area an encoder writes for this input. */
export function cardPayload(input: CardImageInput): { record: Uint8Array; signatureArea?: Uint8Array } {
  needObject('cardPayload', 'input', input);
  const signed = input.signingKey !== undefined;
  if (signed && input.keyId === undefined) throw new RangeError('a signing key needs a keyId (1-255)');
  const record = encodeRecord(input.holder, { truncate: input.truncate, signed });
  if (!signed) return { record };
  return { record, signatureArea: buildSignatureArea(input.uid, record, input.signingKey!, input.keyId!) };
}

/** Builds the finished card image: 64 blocks of 16 bytes. */
export function buildCardImage(input: CardImageInput): Uint8Array[] {
  needObject('buildCardImage', 'input', input);
  const { record, signatureArea } = cardPayload(input);
  const signed = signatureArea !== undefined;
  const blocks = blankCardImage(input.uid, input.block0);
  const [mad1, mad2] = buildMad(hmskMad(signed));
  blocks[MAD_BLOCKS[0]] = mad1;
  blocks[MAD_BLOCKS[1]] = mad2;
  for (const [blk, data] of spreadOverBlocks(record, RECORD_BLOCKS)) blocks[blk] = data;
  if (signatureArea) for (const [blk, data] of spreadOverBlocks(signatureArea, SIGNATURE_BLOCKS)) blocks[blk] = data;
  for (const s of hmskSectors(signed)) blocks[trailerBlock(s)] = hmskTrailer(s, input.uid, input.readMaster, input.writeMaster);
  return blocks;
}

/** Joins 64 blocks into the 1024-byte memory image. */
export function imageBytes(blocks: readonly Uint8Array[]): Uint8Array {
  needBlocks('imageBytes', 'blocks', blocks);
  const out = new Uint8Array(blocks.length * BLOCK_SIZE);
  blocks.forEach((b, i) => out.set(b, i * BLOCK_SIZE));
  return out;
}
