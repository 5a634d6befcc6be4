/**
 * The chip step of a batch, shared by the reader batch (run.ts) and the printer batch
 * (printerRun.ts): is a presented card blank, and encode one order on it then read it back in full
 * and verify it (spec sections 3 and 5).
 */
import { bytesEqual } from '../codec/hex.js';
import { encodeRecord } from '../codec/record.js';
import { encodeCard, type EncodeReport } from '../card/encoder.js';
import { fullRead } from '../card/readers.js';
import { TRANSPORT_KEY, GATE_BLOCK } from '../card/layout.js';
import type { PublicKeys } from '../card/signature.js';
import { isCardError, type MifareClassicCard } from '../transport/card.js';
import type { Order } from './orders.js';

export interface BatchKeys {
  readMaster: Uint8Array;
  writeMaster: Uint8Array;
  signingKey?: Uint8Array;
  keyId?: number;
  publicKeys?: PublicKeys;
}

/** True when the card still has the transport key on sector 1 and an empty gate block. */
export async function isBlank(card: MifareClassicCard): Promise<boolean> {
  try {
    await card.authenticate(GATE_BLOCK, 'A', TRANSPORT_KEY);
    const b = await card.readBlock(GATE_BLOCK);
    return b.every((x) => x === 0);
  } catch (e) {
    if (!(isCardError(e) && (e.authFailed || e.code === 'ACCESS_DENIED'))) throw e;
    // The chip is silent after a refusal (MF1S50: see src/testing/virtualCard.ts): wake it for the encoder.
    await card.reactivate();
    return false;
  }
}

/** Encodes `order` on `card`, reads it back in full and compares the record; throws when it differs. */
export async function encodeAndVerify(card: MifareClassicCard, uid: string, order: Order, keys: BatchKeys): Promise<EncodeReport> {
  const report = await encodeCard(card, { holder: order.holder, readMaster: keys.readMaster, writeMaster: keys.writeMaster, signingKey: keys.signingKey, keyId: keys.keyId });
  const read = await fullRead(card, { readMaster: keys.readMaster, publicKeys: keys.publicKeys });
  const want = encodeRecord(order.holder, { signed: keys.signingKey !== undefined });
  if (read.error || !bytesEqual(read.record, want)) throw new Error(`card ${uid} does not verify after encoding: ${read.error?.message ?? 'record differs'}`);
  return report;
}
