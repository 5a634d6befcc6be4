/**
 * The naive path of the gate bench (bench/cases/gate.ts): the gate block decoded the way code is
 * often first written: the bytes turned into a hex string, fields cut out of it and parsed, the
 * CRC computed bit by bit, the org number checked digit by digit on a string, dates made through
 * Date objects, and the result a fresh object of strings. Correct (every bench run checks its output
 * against the holder the bytes were encoded from), only slow; it is the baseline the fast path's
 * 10x target is read against. Not for use outside bench/.
 */

export interface NaiveGate {
  category: string;
  cardNumber: string;
  orgNumber: string;
  expiry: string;
  issue: number;
}

/** A decode failure with the spec's code (section 2). */
export class NaiveDecodeError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hexBytes(hex: string): number[] {
  return (hex.match(/../g) ?? []).map((p) => parseInt(p, 16));
}

/** CRC-16/CCITT-FALSE, one bit at a time. */
function crc16Bitwise(bytes: number[]): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function orgValid(org: string): boolean {
  const d = org.split('').map(Number);
  const sum = [3, 2, 7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * d[i], 0);
  const c = 11 - (sum % 11);
  return c !== 10 && (c === 11 ? 0 : c) === d[8];
}

export function dayToIso(epochUtc: number, days: number): string {
  return new Date(epochUtc + days * 86_400_000).toISOString().slice(0, 10);
}

/** Section 2's gate-block checks on the first 32 hex digits of a block or record. */
export function naiveGateFields(hex: string): NaiveGate {
  const head = hex.slice(0, 32);
  if (/^(00)+$/.test(head) || /^(ff)+$/.test(head)) throw new NaiveDecodeError('BLANK');
  if (head.slice(0, 2) !== '48') throw new NaiveDecodeError('UNKNOWN_FORMAT');
  if (head[2] !== '1') throw new NaiveDecodeError('UNSUPPORTED_VERSION');
  if (crc16Bitwise(hexBytes(head.slice(0, 28))) !== parseInt(head.slice(28, 32), 16)) throw new NaiveDecodeError('BAD_CRC');
  const category = ({ '1': 'construction', '2': 'cleaning', f: 'void' } as Record<string, string>)[head[3]];
  if (category === undefined) throw new NaiveDecodeError('BAD_FIELD');
  const cardNumber = parseInt(head.slice(4, 14), 16);
  if (cardNumber === 0 || cardNumber > 999_999_999_999) throw new NaiveDecodeError('BAD_FIELD');
  const orgNumber = String(parseInt(head.slice(14, 22), 16)).padStart(9, '0');
  if (orgNumber.length !== 9 || !orgValid(orgNumber)) throw new NaiveDecodeError('BAD_FIELD');
  return {
    category,
    cardNumber: String(cardNumber),
    orgNumber,
    expiry: dayToIso(Date.UTC(2000, 0, 1), parseInt(head.slice(22, 26), 16)),
    issue: parseInt(head.slice(26, 28), 16),
  };
}

export function naiveDecodeGateBlock(bytes: Uint8Array): NaiveGate {
  const hex = toHex(bytes);
  if (hex.length !== 32) throw new NaiveDecodeError('BAD_LENGTH');
  return naiveGateFields(hex);
}
