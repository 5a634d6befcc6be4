/**
 * What kind of contactless card an ATR announces, after PC/SC Part 3 v2.02 section 3.1.3.2.3:
 * a storage card's ATR is 3B 8n 80 01 followed by historical bytes
 *   80 4F 0C | A0 00 00 03 06 (RID of PC/SC) | SS (standard) | C0 C1 (card name) | 00 00 00 00
 * and an ISO 14443-4 card's historical bytes are its ATS (or ATQB) instead. Card names from the
 * PC/SC Part 3 supplement (Standardized Card Names): 00 01 MIFARE Classic 1K, 00 02 MIFARE Classic
 * 4K, 00 26 MIFARE Mini, 00 36 / 00 37 MIFARE Plus SL1 2K / 4K (Classic-compatible in SL1).
 */
import { toHex } from '../../codec/hex.js';
import { needBytes } from '../../codec/guard.js';

export type AtrKind =
  | { kind: 'mifare-classic'; name: string }
  | { kind: 'iso14443-4' }
  | { kind: 'other-storage'; name: string };

const CLASSIC_NAMES: Record<number, string> = {
  0x0001: 'MIFARE Classic 1K',
  0x0002: 'MIFARE Classic 4K',
  0x0026: 'MIFARE Mini',
  0x0036: 'MIFARE Plus SL1 2K',
  0x0037: 'MIFARE Plus SL1 4K',
};

const OTHER_NAMES: Record<number, string> = {
  0x0003: 'MIFARE Ultralight',
  0x003a: 'MIFARE Ultralight C',
  0x0044: 'NTAG / Ultralight EV1',
};

const PCSC_RID = [0xa0, 0x00, 0x00, 0x03, 0x06];

export function classifyAtr(atr: Uint8Array): AtrKind {
  needBytes('classifyAtr', 'atr', atr);
  // Bytes 4-6: 80 4F 0C (category indicator, application identifier presence, length 12).
  const storage = atr.length >= 17 && atr[4] === 0x80 && atr[5] === 0x4f && PCSC_RID.every((b, i) => atr[7 + i] === b);
  if (!storage) return { kind: 'iso14443-4' };
  const name = (atr[13] << 8) | atr[14];
  if (CLASSIC_NAMES[name]) return { kind: 'mifare-classic', name: CLASSIC_NAMES[name] };
  return { kind: 'other-storage', name: OTHER_NAMES[name] ?? `card name ${toHex(atr.subarray(13, 15))}` };
}
