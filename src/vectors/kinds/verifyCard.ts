/**
 * `verify-card` vectors (spec section 8): 64 blocks, UID, public keys by decimal key id -> the
 * decoded holder and the signature status (section 5).
 */
import type { KindHandler } from '../kind.js';
import { fromHex } from '../../codec/hex.js';
import { verifyCardImage } from '../../card/verify.js';

export const handler: KindHandler = (input) => {
  if (!Array.isArray(input.blocks)) throw new TypeError('blocks: expected an array of 64 hex strings');
  const blocks = input.blocks.map((b, i) => fromHex(String(b), `block ${i}`));
  const keys: Record<string, Uint8Array> = {};
  for (const [id, hex] of Object.entries((input.publicKeys ?? {}) as Record<string, unknown>)) keys[id] = fromHex(String(hex), `publicKeys.${id}`);
  const r = verifyCardImage(blocks, fromHex(String(input.uid), 'uid'), keys);
  return { holder: { ...r.holder }, signature: r.signature };
};
