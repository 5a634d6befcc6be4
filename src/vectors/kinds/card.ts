/**
 * `card` vectors (spec section 8): holder, UID, master keys [, signing key and key id] -> the 64
 * blocks of the finished card (section 3, section 5).
 */
import type { KindHandler } from '../kind.js';
import { fromHex, toHex } from '../../codec/hex.js';
import type { HolderInput } from '../../codec/types.js';
import { buildCardImage } from '../../card/image.js';

export const handler: KindHandler = (input) => {
  const blocks = buildCardImage({
    holder: input.holder as HolderInput,
    uid: fromHex(String(input.uid), 'uid'),
    readMaster: fromHex(String(input.readMaster), 'readMaster'),
    writeMaster: fromHex(String(input.writeMaster), 'writeMaster'),
    signingKey: input.signingKey === undefined ? undefined : fromHex(String(input.signingKey), 'signingKey'),
    keyId: input.keyId === undefined ? undefined : Number(input.keyId),
    truncate: input.truncate === true,
  });
  return { blocks: blocks.map(toHex) };
};
