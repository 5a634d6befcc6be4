/**
 * `encode` vectors (spec section 8): a holder -> the record, gate block, both tracks with their
 * LRC characters, and the barcode payload.
 */
import type { KindHandler } from '../kind.js';
import { validateHolder } from '../../codec/holder.js';
import { encodeRecord, GATE_BLOCK_LENGTH } from '../../codec/record.js';
import { toHex } from '../../codec/hex.js';
import { lrcChar, track1String, track2String } from '../../codec/tracks.js';
import { barcodePayload } from '../../codec/barcode.js';

export const handler: KindHandler = (input) => {
  const holder = validateHolder(input.holder, { truncate: input.truncate === true });
  const record = encodeRecord(holder);
  const track1 = track1String(holder);
  const track2 = track2String(holder);
  return {
    record: toHex(record),
    gateBlock: toHex(record.subarray(0, GATE_BLOCK_LENGTH)),
    track1,
    track1Lrc: lrcChar(1, track1),
    track2,
    track2Lrc: lrcChar(2, track2),
    barcode: barcodePayload(holder),
  };
};
