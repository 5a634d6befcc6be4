/**
 * A MIFARE Classic in a PC/SC reader, as the MifareClassicCard of src/transport/card.ts: one
 * command APDU per operation (apdus.ts), sent one at a time through the reader's connection.
 *
 * Keys: the reader holds two volatile key slots (ACR122U). A key is loaded (FF 82) once per card
 * and slot, then named by slot in every authentication, so a gate read after detection costs
 * three APDUs: load key, authenticate, read (issue 4; counted in test/pcsc-integration.test.ts).
 * Key bytes never appear in messages or errors.
 */
import { toHex } from '../../codec/hex.js';
import { CardError, type KeyType, type MifareClassicCard } from '../../transport/card.js';
import { authenticateApdu, getUidApdu, loadKeyApdu, readBinaryApdu, splitResponse, statusError, updateBinaryApdu, type ApduOp } from './apdus.js';

/** Sends one APDU on the card's connection; rejects with CardError (CARD_REMOVED when it left). */
export type SendApdu = (op: ApduOp, apdu: Uint8Array, maxResponse: number, block?: number) => Promise<Uint8Array>;

const SLOTS = 2;
const BLOCK = 16;

export interface PcscCardCounters {
  apdus: number;
  keyLoads: number;
}

export class PcscMifareCard implements MifareClassicCard {
  readonly uid: Uint8Array;
  readonly atr: Uint8Array;
  readonly counters: PcscCardCounters = { apdus: 0, keyLoads: 0 };
  /** Which key each slot holds (a fingerprint of key bytes, kept only in memory). */
  private readonly slots: Array<string | undefined> = new Array(SLOTS).fill(undefined);
  private nextSlot = 0;
  /** The sector the chip is authenticated to, as far as the driver knows. */
  private authSector: number | undefined;

  private constructor(uid: Uint8Array, atr: Uint8Array, private readonly send: SendApdu) {
    this.uid = uid;
    this.atr = atr;
  }

  /** Detection: reads the UID (FF CA) of the card just connected. */
  static async detect(send: SendApdu, atr: Uint8Array): Promise<PcscMifareCard> {
    const r = splitResponse('get-uid', await send('get-uid', getUidApdu(), 12));
    if (r.sw !== 0x9000) throw statusError('get-uid', r.sw);
    if (![4, 7, 10].includes(r.data.length)) throw new CardError('IO', `get-uid: a UID of ${r.data.length} bytes`, { sw: r.sw });
    return new PcscMifareCard(r.data.slice(), atr, send);
  }

  private async apdu(op: ApduOp, apdu: Uint8Array, max: number, block?: number): Promise<{ data: Uint8Array; sw: number }> {
    this.counters.apdus++;
    try {
      return splitResponse(op, await this.send(op, apdu, max, block), block);
    } catch (e) {
      this.authSector = undefined;
      throw e;
    }
  }

  private async slotFor(key: Uint8Array): Promise<number> {
    const id = toHex(key);
    const have = this.slots.indexOf(id);
    if (have >= 0) return have;
    const free = this.slots.indexOf(undefined);
    const slot = free >= 0 ? free : this.nextSlot;
    this.nextSlot = (slot + 1) % SLOTS;
    this.slots[slot] = undefined;
    const r = await this.apdu('load-key', loadKeyApdu(slot, key), 2);
    if (r.sw !== 0x9000) throw statusError('load-key', r.sw);
    this.counters.keyLoads++;
    this.slots[slot] = id;
    return slot;
  }

  async authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void> {
    checkBlock(block);
    if (key.length !== 6) throw new CardError('BAD_BLOCK', 'a MIFARE Classic key is 6 bytes', { block });
    const slot = await this.slotFor(key);
    this.authSector = undefined;
    const r = await this.apdu('authenticate', authenticateApdu(block, keyType, slot), 2, block);
    if (r.sw !== 0x9000) throw statusError('authenticate', r.sw, { block });
    this.authSector = block >> 2;
  }

  async readBlock(block: number): Promise<Uint8Array> {
    checkBlock(block);
    const r = await this.apdu('read', readBinaryApdu(block), BLOCK + 2, block);
    if (r.sw !== 0x9000) throw this.refused('read', r.sw, block);
    if (r.data.length !== BLOCK) throw new CardError('IO', `read block ${block}: ${r.data.length} bytes`, { block, sw: r.sw });
    return r.data.slice();
  }

  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    checkBlock(block);
    const r = await this.apdu('write', updateBinaryApdu(block, data), 2, block);
    if (r.sw !== 0x9000) throw this.refused('write', r.sw, block);
  }

  async reactivate(): Promise<void> {
    throw new CardError('NOT_SUPPORTED', 'reactivate: not implemented by the PC/SC driver yet');
  }

  /** The chip drops its authentication after a refusal (MF1S50 section 9.1): so does the driver. */
  private refused(op: ApduOp, sw: number, block: number): CardError {
    const e = statusError(op, sw, { block, authenticatedSector: this.authSector });
    this.authSector = undefined;
    return e;
  }
}

function checkBlock(block: number): void {
  // 255 is the highest block a one-byte P2 can name (MIFARE Classic 4K); the card says the rest.
  if (!Number.isInteger(block) || block < 0 || block > 255) throw new CardError('BAD_BLOCK', `block ${block} is out of range`, { block });
}
