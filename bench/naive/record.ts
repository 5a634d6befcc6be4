/**
 * The naive path of the record bench (bench/cases/gate.ts, rows record/naive): the 144-byte
 * record through a hex string, the CRC-32 bit by bit, the names percent-encoded and handed to
 * decodeURIComponent (which rejects malformed UTF-8, as section 2 requires). See gateBlock.ts.
 */
import { dayToIso, hexBytes, naiveGateFields, NaiveDecodeError, toHex, type NaiveGate } from './gateBlock.js';

export interface NaiveRecord extends NaiveGate {
  birthDate: string;
  gender: string;
  givenName: string;
  familyName: string;
  orgName: string;
  signed: boolean;
  truncated: boolean;
}

/** CRC-32/ISO-HDLC, one bit at a time. */
function crc32Bitwise(bytes: number[]): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function utf8(hex: string): string {
  try {
    return decodeURIComponent(hex.replace(/../g, '%$&'));
  } catch {
    throw new NaiveDecodeError('BAD_FIELD');
  }
}

export function naiveDecodeRecord(bytes: Uint8Array): NaiveRecord {
  const hex = toHex(bytes);
  if (hex.length !== 288) throw new NaiveDecodeError('BAD_LENGTH');
  const gate = naiveGateFields(hex);
  if (crc32Bitwise(hexBytes(hex.slice(0, 280))) !== parseInt(hex.slice(280, 288), 16)) throw new NaiveDecodeError('BAD_CRC');
  const byte = (i: number) => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  const flags = byte(19);
  if ((flags & 0xfc) !== 0 || byte(23) !== 0) throw new NaiveDecodeError('BAD_FIELD');
  const gender = ['X', 'M', 'F'][byte(18)];
  if (gender === undefined) throw new NaiveDecodeError('BAD_FIELD');
  const [g, f, o] = [byte(20), byte(21), byte(22)];
  if (g === 0 || f === 0 || o === 0 || g + f + o > 116) throw new NaiveDecodeError('BAD_FIELD');
  const texts = hex.slice(48, 280);
  if (!/^(00)*$/.test(texts.slice(2 * (g + f + o)))) throw new NaiveDecodeError('BAD_FIELD');
  return {
    ...gate,
    birthDate: dayToIso(Date.UTC(1900, 0, 1), parseInt(hex.slice(32, 36), 16)),
    gender,
    givenName: utf8(texts.slice(0, 2 * g)),
    familyName: utf8(texts.slice(2 * g, 2 * (g + f))),
    orgName: utf8(texts.slice(2 * (g + f), 2 * (g + f + o))),
    signed: (flags & 1) !== 0,
    truncated: (flags & 2) !== 0,
  };
}
