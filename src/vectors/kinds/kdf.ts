/** `kdf` vectors (spec section 8): master, UID, sector, key type -> the 6-byte key (section 3). */
import type { KindHandler } from '../kind.js';
import { fromHex, toHex } from '../../codec/hex.js';
import { deriveKey } from '../../card/kdf.js';
import type { KeyType } from '../../transport/card.js';

export const handler: KindHandler = (input) => {
  const key = deriveKey(fromHex(String(input.master), 'master'), fromHex(String(input.uid), 'uid'), Number(input.sector), input.keyType as KeyType);
  return { key: toHex(key) };
};
