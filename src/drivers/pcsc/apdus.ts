/**
 * The command APDUs a PC/SC contactless reader takes for a MIFARE Classic (PC/SC Part 3 v2.02,
 * section 3.2.2.1 "Storage card commands"; ACS ACR122U API v2.04 section 5), and the mapping of a
 * failed transmit to a CardError (status words: profiles/). Pure: bytes in, bytes or errors out.
 *
 * One block per APDU, always: nfc-pcsc's read()/write() helpers split longer lengths into parallel
 * APDUs over consecutive blocks, which cross sector trailers and interleave on the wire.
 */
import { CardError, type KeyType } from '../../transport/card.js';
import { needBytes, needBytesOfLength, needInteger, needOneOf, needString } from '../../codec/guard.js';

/** FF CA 00 00 00: Get Data, the UID of the card in the field (Le 00 = full length). */
export function getUidApdu(): Uint8Array {
  return new Uint8Array([0xff, 0xca, 0x00, 0x00, 0x00]);
}

/**
 * FF 82 P1 P2 06 key: Load Keys (PC/SC Part 3 3.2.2.1.4). P1 is the key structure (00 volatile,
 * 20 non-volatile), P2 the key number; which numbers a reader takes is its profile's (profiles/).
 */
export function loadKeyApdu(keyNumber: number, key: Uint8Array, p1 = 0x00): Uint8Array {
  needInteger('loadKeyApdu', 'keyNumber', keyNumber, 0, 255);
  needBytes('loadKeyApdu', 'key', key);
  needInteger('loadKeyApdu', 'p1', p1, 0, 255);
  if (key.length !== 6) throw new CardError('BAD_BLOCK', 'a MIFARE Classic key is 6 bytes');
  const a = new Uint8Array(11);
  a.set([0xff, 0x82, p1, keyNumber, 0x06], 0);
  a.set(key, 5);
  return a;
}

/** FF 86 00 00 05 | 01 00 block keyType keyNumber: General Authenticate (60 = key A, 61 = key B; 3.2.2.1.6). */
export function authenticateApdu(block: number, keyType: KeyType, keyNumber: number): Uint8Array {
  needInteger('authenticateApdu', 'block', block, 0, 255);
  needOneOf('authenticateApdu', 'keyType', keyType, ['A', 'B']);
  needInteger('authenticateApdu', 'keyNumber', keyNumber, 0, 255);
  return new Uint8Array([0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, keyType === 'A' ? 0x60 : 0x61, keyNumber]);
}

/** FF B0 00 block 10: Read Binary, one 16-byte block. */
export function readBinaryApdu(block: number): Uint8Array {
  needInteger('readBinaryApdu', 'block', block, 0, 255);
  return new Uint8Array([0xff, 0xb0, 0x00, block, 0x10]);
}

/** FF D6 00 block 10 data: Update Binary, one 16-byte block. */
export function updateBinaryApdu(block: number, data: Uint8Array): Uint8Array {
  needInteger('updateBinaryApdu', 'block', block, 0, 255);
  needBytesOfLength('updateBinaryApdu', 'data', data, [16]);
  if (data.length !== 16) throw new CardError('BAD_BLOCK', `a block is 16 bytes, not ${data.length}`, { block });
  const a = new Uint8Array(21);
  a.set([0xff, 0xd6, 0x00, block, 0x10], 0);
  a.set(data, 5);
  return a;
}

/** The operations of the driver; 'reset' is the re-activation, 'transmit' a raw APDU. */
export type ApduOp = 'get-uid' | 'load-key' | 'authenticate' | 'read' | 'write' | 'reset' | 'transmit';

/** Splits a response into data and status word; throws IO when there is no status word. */
export function splitResponse(op: ApduOp, response: Uint8Array, block?: number): { data: Uint8Array; sw: number } {
  // A contactless reader that gets no answer from the card returns no bytes at all (vpcd does so
  // when the card leaves during a command): the card is gone, as far as the caller can act on it.
  if (response.length === 0) throw new CardError('CARD_REMOVED', `${op}: no answer from the card (it left the field)`, { block });
  if (response.length < 2) throw new CardError('IO', `${op}: response of ${response.length} byte has no status word`, { block });
  const n = response.length - 2;
  return { data: response.subarray(0, n), sw: (response[n] << 8) | response[n + 1] };
}

/**
 * The pcsc-lite return code in an error from @pokusew/pcsclite ("SCardTransmit error: Card was
 * removed.(0x80100069)"), or undefined.
 */
export function pcscReturnCode(e: unknown): number | undefined {
  for (let x: unknown = e, depth = 0; x && depth < 4; depth++) {
    const m = /\(0x([0-9a-f]{8})\)/i.exec(String((x as Error).message ?? ''));
    if (m) return parseInt(m[1], 16);
    x = (x as { previous?: unknown; cause?: unknown }).previous ?? (x as { cause?: unknown }).cause;
  }
  return undefined;
}

/** pcsc-lite codes (pcsclite.h) that mean the card is no longer reachable through this connection. */
const REMOVED_CODES = new Set([
  0x80100069, // SCARD_W_REMOVED_CARD
  0x80100068, // SCARD_W_RESET_CARD (another application reset it: our authentication is gone)
  0x8010000c, // SCARD_E_NO_SMARTCARD
  0x80100066, // SCARD_W_UNRESPONSIVE_CARD
  0x80100067, // SCARD_W_UNPOWERED_CARD
  0x80100017, // SCARD_E_READER_UNAVAILABLE
  0x80100009, // SCARD_E_UNKNOWN_READER
]);

/** pcsclite.h: SCardConnect in exclusive mode while another handle is connected to the card. */
export const SCARD_E_SHARING_VIOLATION = 0x8010000b;
/** pcsc-lite: the transmit did not reach the card (pcscd still shows a card that has just left). */
export const SCARD_E_NOT_TRANSACTED = 0x80100016;

/** pcsc-lite codes that mean pcscd itself went away. */
export const SERVICE_GONE_CODES = new Set([
  0x8010001d, // SCARD_E_NO_SERVICE
  0x8010001e, // SCARD_E_SERVICE_STOPPED
  0x80100003, // SCARD_E_INVALID_HANDLE (the context died with pcscd)
  0x80100013, // SCARD_F_COMM_ERROR "RPC transport error": pcscd's socket closed (seen when pcscd stops)
]);

/** Maps a failed transmit (nfc-pcsc TransmitError wrapping a pcsclite error) to a CardError. */
export function transmitError(op: ApduOp, e: unknown, block?: number): CardError {
  needString('transmitError', 'op', op);
  if (e instanceof CardError) return e;
  const rc = pcscReturnCode(e);
  const notConnected = (e as { code?: unknown }).code === 'card_not_connected';
  const detail = String((e as Error)?.message ?? e);
  if (notConnected || (rc !== undefined && REMOVED_CODES.has(rc))) return new CardError('CARD_REMOVED', `${op}: the card left the reader (${detail})`, { block, cause: e });
  if (rc !== undefined && SERVICE_GONE_CODES.has(rc)) return new CardError('IO', `${op}: pcscd is gone (${detail})`, { block, cause: e });
  if (rc === SCARD_E_SHARING_VIOLATION) return new CardError('IO', `${op}: another PC/SC program holds the card, so exclusive access was refused (${detail}); close it (a gate, a second hmskort) and present the card again`, { block, cause: e });
  return new CardError('IO', `${op}: ${detail}`, { block, cause: e });
}
