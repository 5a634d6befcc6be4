/**
 * MIFARE Application Directory v1 (NXP AN10787 "MIFARE Application Directory", spec section 3):
 * blocks 1 and 2 of sector 0, read as 32 bytes:
 *
 *   byte 0      CRC-8/MAD (poly 0x1D, init 0xC7) over bytes 1-31
 *   byte 1      info byte (HMSK writes 0x00)
 *   bytes 2-31  the AIDs of sectors 1 to 15, two bytes each, low byte first
 *               (application code, then function-cluster code)
 */
import { fail } from '../codec/errors.js';
import { crc8Mad } from '../codec/crc.js';
import { toHex } from '../codec/hex.js';
import { needBytesOfLength, needObject, needBoolean } from '../codec/guard.js';

/** AID of the HMSK record sectors 1-3 (spec section 3). */
export const HMSK_AID = 0x4b48;
/** AID of the HMSK signature sectors 4-5 when the card is signed (spec section 3). */
export const HMSK_SIGNATURE_AID = 0x4b49;
/** AID of a free sector. */
export const FREE_AID = 0x0000;

export interface Mad {
  infoByte: number;
  /** AIDs of sectors 1 to 15 (index 0 is sector 1). */
  aids: number[];
}

/** Builds MAD blocks 1 and 2 (16 bytes each) from the info byte and the 15 AIDs. */
export function buildMad(mad: Mad): [Uint8Array, Uint8Array] {
  needObject('buildMad', 'mad', mad);
  if (!Number.isInteger(mad.infoByte) || mad.infoByte < 0 || mad.infoByte > 0xff) throw new RangeError(`MAD info byte out of range: ${mad.infoByte}`);
  if (mad.aids.length !== 15) throw new RangeError(`MAD v1 holds 15 AIDs (sectors 1-15), got ${mad.aids.length}`);
  const bytes = new Uint8Array(32);
  bytes[1] = mad.infoByte;
  mad.aids.forEach((aid, i) => {
    if (!Number.isInteger(aid) || aid < 0 || aid > 0xffff) throw new RangeError(`MAD AID of sector ${i + 1} out of range: ${aid}`);
    bytes[2 + 2 * i] = aid & 0xff;
    bytes[3 + 2 * i] = aid >> 8;
  });
  bytes[0] = crc8Mad(bytes.subarray(1));
  return [bytes.slice(0, 16), bytes.slice(16, 32)];
}

/** Parses MAD blocks 1 and 2; fails with BAD_MAD_CRC when byte 0 is not the CRC of bytes 1-31. */
export function parseMad(block1: Uint8Array, block2: Uint8Array): Mad {
  needBytesOfLength('parseMad', 'block1', block1, [16]);
  needBytesOfLength('parseMad', 'block2', block2, [16]);
  if (block1.length !== 16 || block2.length !== 16) throw new RangeError('MAD blocks must be 16 bytes each');
  const bytes = new Uint8Array(32);
  bytes.set(block1, 0);
  bytes.set(block2, 16);
  const crc = crc8Mad(bytes.subarray(1));
  if (crc !== bytes[0]) {
    fail('BAD_MAD_CRC', `MAD CRC is 0x${toHex(bytes.subarray(0, 1))}, computed 0x${crc.toString(16).padStart(2, '0')}`, { sector: 0, block: 1 });
  }
  const aids: number[] = [];
  for (let i = 0; i < 15; i++) aids.push(bytes[2 + 2 * i] | (bytes[3 + 2 * i] << 8));
  return { infoByte: bytes[1], aids };
}

/** The MAD of an HMSK card (spec section 3): 0x4B48 on sectors 1-3, 0x4B49 on 4-5 when signed. */
export function hmskMad(signed: boolean): Mad {
  needBoolean('hmskMad', 'signed', signed);
  const aids = new Array<number>(15).fill(FREE_AID);
  aids[0] = aids[1] = aids[2] = HMSK_AID;
  if (signed) aids[3] = aids[4] = HMSK_SIGNATURE_AID;
  return { infoByte: 0x00, aids };
}
