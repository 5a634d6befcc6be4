/**
 * `encode` vectors (spec section 8): a holder -> the record, gate block, both tracks with their
 * LRC characters, and the barcode payload.
 */
import type { KindHandler } from '../kind.js';
import { validateHolder } from '../../codec/holder.js';
import { encodeAllMedia } from '../../codec/encodeAll.js';

export const handler: KindHandler = (input) => ({ ...encodeAllMedia(validateHolder(input.holder, { truncate: input.truncate === true })) });
