/**
 * Everything the spec derives from one validated holder (sections 2, 4, 6), as the `encode`
 * vectors of section 8 name it: record, gate block, tracks with LRC characters, barcode payload.
 */
import type { ValidHolder } from './holder.js';
import { needValidHolder } from './holderGuard.js';
import { encodeRecord } from './record.js';
import { GATE_BLOCK_LENGTH } from './recordLayout.js';
import { toHex } from './hex.js';
import { lrcChar, track1String, track2String } from './tracks.js';
import { barcodePayload } from './barcode.js';

export interface EncodedMedia {
  record: string;
  gateBlock: string;
  track1: string;
  track1Lrc: string;
  track2: string;
  track2Lrc: string;
  barcode: string;
}

export function encodeAllMedia(holder: ValidHolder): EncodedMedia {
  needValidHolder('encodeAllMedia', holder);
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
}
