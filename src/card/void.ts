/**
 * Voiding a card (spec section 3, "Voiding a card"): block 4 only is rewritten, with category
 * 0xF and a new CRC-16 (codec/record.ts voidGateBlock); every other byte stays. Needs the write
 * master: data blocks are writable with key B only (access condition 1,0,0).
 */
import { bytesEqual, toHex } from '../codec/hex.js';
import { voidGateBlock } from '../codec/record.js';
import { CardError, type MifareClassicCard } from '../transport/card.js';
import { deriveKey } from './kdf.js';
import { GATE_BLOCK } from './layout.js';
import { CardSession } from './session.js';
import { needObject, needCard } from '../codec/guard.js';

export interface VoidReport {
  /** Block 4 before and after (hex). */
  before: string;
  after: string;
  operations: number;
}

/**
 * Authenticates sector 1 with its derived key B, reads block 4, writes the voided gate block and
 * reads it back. A block 4 that does not decode is left alone (its HmskError is thrown).
 */
export async function voidCard(card: MifareClassicCard, keys: { writeMaster: Uint8Array }): Promise<VoidReport> {
  needCard('voidCard', card);
  needObject('voidCard', 'keys', keys);
  const session = new CardSession(card);
  await session.authenticate(GATE_BLOCK, { keyType: 'B', key: deriveKey(keys.writeMaster, card.uid, 1, 'B') });
  const before = await session.read(GATE_BLOCK);
  const after = voidGateBlock(before);
  await session.write(GATE_BLOCK, after);
  const check = await session.read(GATE_BLOCK);
  if (!bytesEqual(check, after)) throw new CardError('IO', `block 4 reads back ${toHex(check)} after voiding, wrote ${toHex(after)}`, { block: GATE_BLOCK, sector: 1 });
  return { before: toHex(before), after: toHex(after), operations: session.operations };
}
