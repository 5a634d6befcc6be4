/**
 * The reader side of a contactless PC/SC reader for a MIFARE Classic card: the pseudo-APDUs of
 * PC/SC Part 3 (v2.02, section 3.2.2.1, class FF) and the older ACS ACR122U "Authentication"
 * (FF 88), mapped onto a card at block level, answered with the status words an ACS reader returns
 * (ACR122U API v2.04 / ACR1252U reference manual: 63 00 "operation failed" for a chip NAK).
 *
 * Pure apart from the card it drives: no sockets, no clock. client.ts feeds it the APDUs that vpcd
 * forwards; tests feed it byte arrays.
 *
 *   FF CA 00 00 Le                      Get Data: UID                    -> UID 90 00
 *   FF 82 00 slot 06 key(6)             Load Keys into volatile slot 0/1 -> 90 00
 *   FF 86 00 00 05 01 00 blk type slot  General Authenticate (60=A 61=B) -> 90 00 | 63 00
 *   FF 88 00 blk type slot              Authentication (PC/SC 2.01)      -> 90 00 | 63 00
 *   FF B0 00 blk 10                     Read Binary, one block           -> data(16) 90 00
 *   FF D6 00 blk 10 data(16)            Update Binary, one block         -> 90 00
 *
 * Status words (SW1 SW2), one table for every command:
 *   90 00 success
 *   63 00 the chip refused (wrong key, access conditions, blocked sector), or key slot empty
 *   64 00 execution error, memory unchanged (the card's IO/TIMEOUT faults)
 *   67 00 wrong length (Lc/Le)
 *   69 82 security status not satisfied: the block's sector is not authenticated
 *   6A 81 function not supported (unknown FF instruction or P1)
 *   6A 82 block does not exist (beyond block 63)
 *   6E 00 class not supported (ISO 7816-4 APDUs: a MIFARE Classic has no application layer)
 */
import { CardError, type KeyType } from '../../transport/card.js';
import { needBytes, needObject, needCard } from '../../codec/guard.js';

/** The card as the reader sees it: MifareClassicCard (src/transport/card.ts) without the extras. */
export interface ApduCard {
  readonly uid: Uint8Array;
  authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void>;
  readBlock(block: number): Promise<Uint8Array>;
  writeBlock(block: number, data: Uint8Array): Promise<void>;
}

/** The reader's volatile key store (ACR122U: 2 slots), cleared when the card connection ends. */
export interface ReaderKeys {
  slots: Array<Uint8Array | undefined>;
}

export const KEY_SLOTS = 2;
const BLOCKS = 64;
const BLOCK = 16;

export const SW = {
  OK: 0x9000,
  FAILED: 0x6300,
  EXEC_ERROR: 0x6400,
  WRONG_LENGTH: 0x6700,
  NOT_AUTHENTICATED: 0x6982,
  NOT_SUPPORTED: 0x6a81,
  NO_SUCH_BLOCK: 0x6a82,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

export function newReaderKeys(): ReaderKeys {
  return { slots: new Array<Uint8Array | undefined>(KEY_SLOTS).fill(undefined) };
}

function sw(word: number, data?: Uint8Array): Uint8Array {
  const out = new Uint8Array((data?.length ?? 0) + 2);
  if (data) out.set(data, 0);
  out[out.length - 2] = word >> 8;
  out[out.length - 1] = word & 0xff;
  return out;
}

/** The status word for a refusal by the card; CARD_REMOVED is rethrown (the card left the field). */
function refusal(e: unknown): Uint8Array {
  if (!(e instanceof CardError)) return sw(SW.EXEC_ERROR);
  switch (e.code) {
    case 'CARD_REMOVED':
      throw e;
    case 'NOT_AUTHENTICATED':
      return sw(SW.NOT_AUTHENTICATED);
    case 'BAD_BLOCK':
      return sw(SW.NO_SUCH_BLOCK);
    case 'NOT_SUPPORTED':
      return sw(SW.NOT_SUPPORTED);
    case 'IO':
    case 'TIMEOUT':
      return sw(SW.EXEC_ERROR);
    default: // AUTH_FAILED, ACCESS_DENIED: the chip NAKs, an ACS reader says 63 00
      return sw(SW.FAILED);
  }
}

function keyTypeOf(byte: number): KeyType | undefined {
  return byte === 0x60 ? 'A' : byte === 0x61 ? 'B' : undefined;
}

async function authenticate(card: ApduCard, keys: ReaderKeys, block: number, type: number, slot: number): Promise<Uint8Array> {
  const keyType = keyTypeOf(type);
  if (block >= BLOCKS) return sw(SW.NO_SUCH_BLOCK);
  const key = keys.slots[slot];
  if (!keyType || !key) return sw(SW.FAILED);
  try {
    await card.authenticate(block, keyType, key);
    return sw(SW.OK);
  } catch (e) {
    return refusal(e);
  }
}

/**
 * Answers one command APDU with response data and status word. Throws only CardError
 * CARD_REMOVED from the card, on which the connection must close.
 */
export async function answerApdu(card: ApduCard, keys: ReaderKeys, apdu: Uint8Array): Promise<Uint8Array> {
  needCard('answerApdu', card);
  needObject('answerApdu', 'keys', keys);
  needBytes('answerApdu', 'apdu', apdu);
  if (apdu.length < 4) return sw(SW.WRONG_LENGTH);
  const [cla, ins, p1, p2] = apdu;
  if (cla !== 0xff) return sw(SW.CLA_NOT_SUPPORTED);
  const body = apdu.subarray(4);
  switch (ins) {
    case 0xca: {
      // Get Data. P1 00: UID; P1 01: ATS historical bytes, which a MIFARE Classic does not have.
      if (p1 !== 0x00 || p2 !== 0x00) return sw(SW.NOT_SUPPORTED);
      if (body.length > 1) return sw(SW.WRONG_LENGTH);
      const le = body.length === 1 ? body[0] : 0;
      if (le !== 0 && le < card.uid.length) return sw(0x6c00 | card.uid.length); // 6C xx: "Le should be xx"
      return sw(SW.OK, card.uid);
    }
    case 0x82: {
      // Load Keys: P1 00 = volatile reader memory (the only kind an ACR122U has), P2 = slot.
      if (body.length !== 7 || body[0] !== 6) return sw(SW.WRONG_LENGTH);
      if (p1 !== 0x00 || p2 >= KEY_SLOTS) return sw(SW.FAILED);
      keys.slots[p2] = body.slice(1, 7);
      return sw(SW.OK);
    }
    case 0x86: {
      // General Authenticate: Lc 05, data 01 (version) 00 block keyType slot.
      if (p1 !== 0 || p2 !== 0) return sw(SW.NOT_SUPPORTED);
      if (body.length !== 6 || body[0] !== 5) return sw(SW.WRONG_LENGTH);
      if (body[1] !== 0x01 || body[2] !== 0x00) return sw(SW.NOT_SUPPORTED);
      return authenticate(card, keys, body[3], body[4], body[5]);
    }
    case 0x88: {
      // ACR122U "Authentication" (obsolete form): P2 block, then key type and slot with no Lc.
      if (p1 !== 0 || body.length !== 2) return sw(SW.WRONG_LENGTH);
      return authenticate(card, keys, p2, body[0], body[1]);
    }
    case 0xb0: {
      // Read Binary: P1 P2 block number, Le 10 (00 = "as much as there is": one block).
      const block = (p1 << 8) | p2;
      if (body.length !== 1 || (body[0] !== BLOCK && body[0] !== 0)) return sw(SW.WRONG_LENGTH);
      if (block >= BLOCKS) return sw(SW.NO_SUCH_BLOCK);
      try {
        return sw(SW.OK, await card.readBlock(block));
      } catch (e) {
        return refusal(e);
      }
    }
    case 0xd6: {
      // Update Binary: P1 P2 block number, Lc 10, 16 bytes.
      const block = (p1 << 8) | p2;
      if (body.length !== 1 + BLOCK || body[0] !== BLOCK) return sw(SW.WRONG_LENGTH);
      if (block >= BLOCKS) return sw(SW.NO_SUCH_BLOCK);
      try {
        await card.writeBlock(block, body.slice(1));
        return sw(SW.OK);
      } catch (e) {
        return refusal(e);
      }
    }
    default:
      return sw(SW.NOT_SUPPORTED);
  }
}
