/**
 * The binary 1K dump (.mfd of libnfc's nfc-mfclassic and mfoc, .bin of the Proxmark3 client):
 * the 1024 bytes of the card, block 0 first, trailers with their keys, nothing else.
 */
import { BLOCK_SIZE, BLOCKS, CARD_BYTES } from '../layout.js';
import { checkBlocks, DumpFormatError, type CardDump } from './types.js';
import { needBytes, needBlocks } from '../../codec/guard.js';

export function parseBinaryDump(bytes: Uint8Array): CardDump {
  needBytes('parseBinaryDump', 'bytes', bytes);
  if (bytes.length !== CARD_BYTES) throw new DumpFormatError('mfd', `a MIFARE Classic 1K dump is ${CARD_BYTES} bytes, got ${bytes.length}`);
  const blocks = Array.from({ length: BLOCKS }, (_, i) => bytes.slice(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE));
  return { blocks, unknownBlocks: [] };
}

export function writeBinaryDump(blocks: readonly Uint8Array[]): Uint8Array {
  needBlocks('writeBinaryDump', 'blocks', blocks);
  checkBlocks(blocks, 'mfd');
  const out = new Uint8Array(CARD_BYTES);
  blocks.forEach((b, i) => out.set(b, i * BLOCK_SIZE));
  return out;
}
