/** `mad` vectors (spec section 8): MAD blocks 1 and 2 -> info byte and the 15 AIDs (section 3). */
import type { KindHandler } from '../kind.js';
import { fromHex } from '../../codec/hex.js';
import { parseMad } from '../../card/mad.js';

export const handler: KindHandler = (input) => {
  if (!Array.isArray(input.blocks) || input.blocks.length !== 2) throw new TypeError('blocks: expected MAD blocks 1 and 2 as hex');
  const m = parseMad(fromHex(String(input.blocks[0]), 'block 1'), fromHex(String(input.blocks[1]), 'block 2'));
  return { infoByte: m.infoByte, aids: m.aids };
};
