/**
 * The Proxmark3 (RRG/Iceman client) JSON dump of a MIFARE Classic card, as client/src/fileutils.c
 * saveFileJSON writes it (FileType "mfc v2"; older clients wrote "mfcard"):
 *
 *   { "Created": "proxmark3", "FileType": "mfc v2",
 *     "Card": { "UID": "04A1B2C3", "ATQA": "0400", "SAK": "08" },
 *     "blocks": { "0": "<32 hex>", ..., "63": "<32 hex>" },
 *     "SectorKeys": { "0": { "KeyA": "<12 hex>", "KeyB": "<12 hex>",
 *                            "AccessConditions": "<8 hex: access bytes + GPB>",
 *                            "AccessConditionsText": { "block0": "...", ..., "UserData": "<GPB>" } } } }
 *
 * The reader takes the blocks (SectorKeys repeat the trailers and are informative); missing
 * blocks are reported unknown. The writer fills every field, the texts in the client's wording.
 */
import { describeDataBlock, describeTrailer, rawAccessConditions } from '../accessBits.js';
import { BLOCKS, SECTORS, trailerBlock } from '../layout.js';
import { printable, quoteExcerpt } from '../../codec/printable.js';
import { checkBlocks, DumpFormatError, emptyBlocks, upperHex, type CardDump } from './types.js';
import { needOptions, needBlocks } from '../../codec/guard.js';

const FILE_TYPES = new Set(['mfcard', 'mfc v2', 'mfc v3']);

function hexBytes(value: unknown, what: string, length?: number): Uint8Array {
  if (typeof value !== 'string' || !/^([0-9A-Fa-f]{2})*$/.test(value) || (length !== undefined && value.length !== 2 * length)) {
    throw new DumpFormatError('proxmark', `${what}: expected ${length ?? 'some'} bytes of hex`);
  }
  return Uint8Array.from(value.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function parseProxmarkDump(json: string | unknown): CardDump {
  let o: unknown = json;
  if (typeof json === 'string') {
    try {
      o = JSON.parse(json);
    } catch (e) {
      throw new DumpFormatError('proxmark', `not JSON: ${printable((e as Error).message, 120)}`);
    }
  }
  const d = o as { FileType?: unknown; blocks?: unknown; Card?: Record<string, unknown> };
  if (typeof d !== 'object' || d === null) throw new DumpFormatError('proxmark', 'not a JSON object');
  if (typeof d.FileType !== 'string' || !FILE_TYPES.has(d.FileType)) {
    throw new DumpFormatError('proxmark', `${d.FileType === undefined ? 'no "FileType": not' : `FileType ${quoteExcerpt(String(d.FileType), 40)} is not`} a MIFARE Classic dump ("mfc v2", "mfcard")`);
  }
  if (typeof d.blocks !== 'object' || d.blocks === null) throw new DumpFormatError('proxmark', '"blocks" is missing');
  const blocks = emptyBlocks();
  const known = new Array<boolean>(BLOCKS).fill(false);
  for (const [k, v] of Object.entries(d.blocks as Record<string, unknown>)) {
    const n = Number(k);
    if (!/^[0-9]+$/.test(k) || n >= BLOCKS) throw new DumpFormatError('proxmark', `block "${k}" is not a 1K block number (0-63)`);
    blocks[n] = hexBytes(v, `block ${k}`, 16);
    known[n] = true;
  }
  const card: CardDump['card'] = {};
  if (d.Card && typeof d.Card === 'object') {
    if (d.Card.UID !== undefined) card.uid = hexBytes(d.Card.UID, 'Card.UID');
    if (d.Card.ATQA !== undefined) card.atqa = hexBytes(d.Card.ATQA, 'Card.ATQA', 2);
    if (d.Card.SAK !== undefined) card.sak = hexBytes(d.Card.SAK, 'Card.SAK', 1)[0];
  }
  return { blocks, unknownBlocks: known.flatMap((k, i) => (k ? [] : [i])), card };
}

/** UID, ATQA, SAK from block 0 as section 3 lays it out (BCC present: 4-byte UID, else 7). */
function cardFromBlock0(b0: Uint8Array, uid?: Uint8Array) {
  const fourByte = uid ? uid.length === 4 : (b0[0] ^ b0[1] ^ b0[2] ^ b0[3]) === b0[4];
  return fourByte
    ? { uid: uid ?? b0.subarray(0, 4), sak: b0.subarray(5, 6), atqa: b0.subarray(6, 8) }
    : { uid: uid ?? b0.subarray(0, 7), sak: b0.subarray(7, 8), atqa: b0.subarray(8, 10) };
}

export function writeProxmarkDump(blocks: readonly Uint8Array[], opts: { uid?: Uint8Array; created?: string } = {}): string {
  needBlocks('writeProxmarkDump', 'blocks', blocks);
  needOptions('writeProxmarkDump', 'opts', opts);
  checkBlocks(blocks, 'proxmark');
  const c = cardFromBlock0(blocks[0], opts.uid);
  const out = {
    Created: opts.created ?? 'hmskort',
    FileType: 'mfc v2',
    Card: { UID: upperHex(c.uid), ATQA: upperHex(c.atqa), SAK: upperHex(c.sak) },
    blocks: Object.fromEntries(blocks.map((b, i) => [String(i), upperHex(b)])),
    SectorKeys: {} as Record<string, unknown>,
  };
  for (let s = 0; s < SECTORS; s++) {
    const t = blocks[trailerBlock(s)];
    const conds = rawAccessConditions(t.subarray(6, 9));
    const text: Record<string, string> = {};
    for (let i = 0; i < 4; i++) text[`block${s * 4 + i}`] = i < 3 ? describeDataBlock(...conds[i]) : describeTrailer(...conds[3]);
    text.UserData = upperHex(t.subarray(9, 10));
    out.SectorKeys[String(s)] = { KeyA: upperHex(t.subarray(0, 6)), KeyB: upperHex(t.subarray(10, 16)), AccessConditions: upperHex(t.subarray(6, 10)), AccessConditionsText: text };
  }
  return JSON.stringify(out, null, 2) + '\n';
}
