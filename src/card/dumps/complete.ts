/**
 * Whether a dump holds what a task needs. Dump tools leave out what they could not read (a
 * Proxmark3 JSON without a block, MIFARE Classic Tool's "--------" NO_DATA lines or "*No keys
 * found" sectors); the parsers report those as `unknownBlocks` and fill them with zeros. Verifying
 * such zeros reports the card as broken (BAD_CRC) when it is the dump that is incomplete (issue 19
 * item 18): a task checks first and names the missing blocks.
 */
import { HMSK_SIGNATURE_AID, parseMad } from '../mad.js';
import { MAD_BLOCKS, RECORD_BLOCKS, SIGNATURE_BLOCKS } from '../layout.js';
import { DumpFormatError, type CardDump } from './types.js';

/** Record byte 19, flag bit 0 "signed" (spec section 2), sits in block 5 at offset 3. */
const FLAGS_BLOCK = 5;
const FLAGS_OFFSET = 3;

/**
 * The blocks spec section 5 verification reads: the MAD (blocks 1-2), the record (sectors 1-3),
 * and, when the record's flag or the MAD says the card is signed, the signature area (sectors
 * 4-5) and, unless the UID is known from elsewhere, block 0 (the signature covers the UID).
 */
export function blocksToVerify(dump: CardDump, uidKnown: boolean): number[] {
  const need = [...MAD_BLOCKS, ...RECORD_BLOCKS];
  const unknown = new Set(dump.unknownBlocks);
  const b = dump.blocks;
  const flagged = !unknown.has(FLAGS_BLOCK) && (b[FLAGS_BLOCK][FLAGS_OFFSET] & 1) === 1;
  const madLists = !unknown.has(1) && !unknown.has(2) && madListsSignature(b[1], b[2]);
  if (flagged || madLists) {
    need.push(...SIGNATURE_BLOCKS);
    if (!uidKnown) need.push(0);
  }
  return need.sort((x, y) => x - y);
}

function madListsSignature(b1: Uint8Array, b2: Uint8Array): boolean {
  try {
    const aids = parseMad(b1, b2).aids;
    return aids[3] === HMSK_SIGNATURE_AID || aids[4] === HMSK_SIGNATURE_AID; // sectors 4 and 5
  } catch {
    return false; // a bad MAD CRC: verification reports BAD_MAD_CRC itself
  }
}

/**
 * Throws DumpFormatError DUMP_INCOMPLETE naming `file` and the first missing block ("block 5
 * missing from the dump") when the dump lacks any of `blocks`.
 */
export function requireDumpBlocks(dump: CardDump, blocks: readonly number[], file: string, task: string): void {
  const unknown = new Set(dump.unknownBlocks);
  const missing = blocks.filter((n) => unknown.has(n));
  if (missing.length === 0) return;
  const list = missing.length === 1 ? `block ${missing[0]}` : `blocks ${missing.join(', ')}`;
  throw new DumpFormatError(dump.format ?? 'mfd', `${list} missing from the dump (the tool that made it could not read ${missing.length === 1 ? 'it' : 'them'}); ${task} needs blocks ${blocks.join(', ')}`, undefined, { code: 'DUMP_INCOMPLETE', file, blocks: missing });
}

/** The dump's 64 blocks for spec section 5 verification, or DUMP_INCOMPLETE naming what is missing. */
export function requireVerifiableDump(dump: CardDump, file: string, uidKnown = dump?.card?.uid !== undefined): Uint8Array[] {
  if (typeof dump !== 'object' || dump === null || !Array.isArray(dump.blocks) || dump.blocks.length !== 64 || !Array.isArray(dump.unknownBlocks)) {
    throw new DumpFormatError('mfd', 'expected a dump as readDump returns it ({blocks: 64, unknownBlocks})', undefined, { file: String(file) });
  }
  requireDumpBlocks(dump, blocksToVerify(dump, uidKnown), file, 'verification (spec section 5)');
  return dump.blocks;
}
