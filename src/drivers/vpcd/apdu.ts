/**
 * The emulated reader firmware: answers the pseudo-APDUs of PC/SC Part 3 (v2.02, section 3.2.2.1,
 * class FF) for a MIFARE Classic card at block level, as the reader family of a profile
 * (profiles.ts, one table per family, manual sections there) answers them.
 *
 *   FF CA 00 00 Le                      Get Data: UID                    -> UID 90 00
 *   FF 82 P1 P2 06 key(6)               Load Keys (addressing per family) -> 90 00 | family word
 *   FF 86 00 00 05 01 00 blk type num   General Authenticate (60=A 61=B) -> 90 00 | family word
 *   FF 88 00 blk type num               Authentication (ACS only, obsolete form)
 *   FF B0 00 blk 10                     Read Binary, one block           -> data(16) 90 00
 *   FF D6 00 blk 10 data(16)            Update Binary, one block         -> 90 00
 * Family-independent words: 67 00 wrong length, 6A 81 function not supported, 6E 00 class not
 * supported ([PCSC3] 3.2.2.1 and ISO 7816-4 5.1.3).
 *
 * The chip's own rule (NXP AN1304, MF1S50 9.1; the virtual card models it): after a failed
 * authentication or a refused command it is silent until re-activated. The card reports that as
 * CardError CARD_SILENT, and the firmware answers the family's "no answer from the card" word.
 *
 * Pure apart from the card it drives: no sockets, no clock. client.ts feeds it the APDUs that vpcd
 * forwards; tests and the probe feed it byte arrays.
 */
import { CardError, type KeyType } from '../../transport/card.js';
import { firmwareProfile, type FirmwareProfile, type FirmwareWords } from './profiles.js';
import { needBytes, needObject, needCard } from '../../codec/guard.js';

/** The card as the reader sees it: MifareClassicCard (src/transport/card.ts) without the extras. */
export interface ApduCard {
  readonly uid: Uint8Array;
  authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void>;
  readBlock(block: number): Promise<Uint8Array>;
  writeBlock(block: number, data: Uint8Array): Promise<void>;
  /** Field reset + reselect; used only by a profile that reselects by itself after a failure. */
  reactivate?(): Promise<void>;
}

/**
 * The reader's key memory. Volatile keys are lost when the reader powers the card down or resets
 * it (client.ts, `clearVolatileKeys`); non-volatile keys (OMNIKEY's key container) stay.
 */
export interface ReaderKeys {
  volatile: Map<number, Uint8Array>;
  nonVolatile: Map<number, Uint8Array>;
}

const BLOCKS = 64;
const BLOCK = 16;

/** Family-independent status words. */
export const SW = {
  OK: 0x9000,
  WRONG_LENGTH: 0x6700,
  NOT_SUPPORTED: 0x6a81,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

const DEFAULT_PROFILE = firmwareProfile('acs');

export function newReaderKeys(): ReaderKeys {
  return { volatile: new Map(), nonVolatile: new Map() };
}

/** Power off / reset: the volatile key memory is gone ([ACR122U] 5.1, [UTRUST] 6.2.3). */
export function clearVolatileKeys(keys: ReaderKeys): void {
  needObject('clearVolatileKeys', 'keys', keys);
  keys.volatile.clear();
}

function sw(word: number, data?: Uint8Array): Uint8Array {
  const out = new Uint8Array((data?.length ?? 0) + 2);
  if (data) out.set(data, 0);
  out[out.length - 2] = word >> 8;
  out[out.length - 1] = word & 0xff;
  return out;
}

type Op = 'auth' | 'read' | 'write';

/** The family's word for a refusal by the card; CARD_REMOVED is rethrown (the card left the field). */
function refusalWord(e: unknown, op: Op, w: FirmwareWords): number {
  const code = e instanceof CardError ? e.code : 'IO';
  switch (code) {
    case 'CARD_REMOVED':
      throw e;
    case 'CARD_SILENT':
    case 'IO':
    case 'TIMEOUT':
      return op === 'auth' ? w.silentAuth : w.silentAccess;
    case 'NOT_AUTHENTICATED':
      return w.notAuthenticated;
    case 'BAD_BLOCK':
      return w.noSuchBlock;
    case 'NOT_SUPPORTED':
      return SW.NOT_SUPPORTED;
    case 'ACCESS_DENIED':
      return op === 'write' ? w.writeDenied : op === 'read' ? w.readDenied : w.wrongKey;
    default: // AUTH_FAILED: the chip did not accept the key
      return w.wrongKey;
  }
}

/** Runs one card operation and answers its status word; a self-reselecting reader re-activates. */
async function onCard(card: ApduCard, p: FirmwareProfile, op: Op, run: () => Promise<Uint8Array | void>): Promise<Uint8Array> {
  try {
    const data = await run();
    return sw(SW.OK, data ?? undefined);
  } catch (e) {
    const word = refusalWord(e, op, p.words);
    if (p.reselectsAfterFailure && card.reactivate) await card.reactivate();
    return sw(word);
  }
}

function keyTypeOf(byte: number): KeyType | undefined {
  return byte === 0x60 ? 'A' : byte === 0x61 ? 'B' : undefined;
}

/** Load Keys FF 82 P1 P2 Lc key ([PCSC3] 3.2.2.1.4; addressing per family, profiles.ts). */
function loadKeys(p: FirmwareProfile, keys: ReaderKeys, p1: number, p2: number, body: Uint8Array): Uint8Array {
  const w = p.words;
  if (body.length < 1 || body.length !== 1 + body[0]) return sw(SW.WRONG_LENGTH);
  if (body[0] !== 6) return sw(w.badKeyLength);
  const key = body.slice(1, 7);
  if (p.keys.kind === 'key-type') {
    if (p1 !== 0x00) return sw(p1 & 0x20 ? w.noNonVolatile : w.badKeyNumber);
    if (!keyTypeOf(p2)) return sw(w.badKeyNumber);
    keys.volatile.set(p2, key);
    return sw(SW.OK);
  }
  const nonVolatile = p1 === 0x20;
  if (p1 !== 0x00 && !nonVolatile) return sw(w.badKeyNumber);
  const numbers = nonVolatile ? p.keys.nonVolatileNumbers : p.keys.volatileNumbers;
  if (nonVolatile && numbers.length === 0) return sw(w.noNonVolatile);
  if (!numbers.includes(p2)) return sw(w.badKeyNumber);
  (nonVolatile ? keys.nonVolatile : keys.volatile).set(p2, key);
  return sw(SW.OK);
}

async function authenticate(card: ApduCard, p: FirmwareProfile, keys: ReaderKeys, block: number, type: number, num: number): Promise<Uint8Array> {
  const keyType = keyTypeOf(type);
  if (!keyType) return sw(p.words.unknownKeyType);
  if (block >= BLOCKS) return sw(p.words.noSuchBlock);
  // Identiv: the key loaded under its key type ([SCL3711] 6.2.3; the key number byte names no slot).
  // Numbered readers: a loaded volatile key first, then the non-volatile container.
  const key = p.keys.kind === 'key-type' ? keys.volatile.get(type) : keys.volatile.get(num) ?? keys.nonVolatile.get(num);
  if (!key) return sw(p.words.keyNotLoaded);
  return onCard(card, p, 'auth', () => card.authenticate(block, keyType, key));
}

/**
 * Answers one command APDU with response data and status word, as the firmware of `profile`
 * (default ACS) does. Throws only CardError CARD_REMOVED from the card, on which the connection
 * must close.
 */
export async function answerApdu(card: ApduCard, keys: ReaderKeys, apdu: Uint8Array, profile: FirmwareProfile = DEFAULT_PROFILE): Promise<Uint8Array> {
  needCard('answerApdu', card);
  needObject('answerApdu', 'keys', keys);
  needBytes('answerApdu', 'apdu', apdu);
  needObject('answerApdu', 'profile', profile);
  if (apdu.length < 4) return sw(SW.WRONG_LENGTH);
  const [cla, ins, p1, p2] = apdu;
  if (cla !== 0xff) return sw(SW.CLA_NOT_SUPPORTED);
  const body = apdu.subarray(4);
  switch (ins) {
    case 0xca: {
      // Get Data ([PCSC3] 3.2.2.1.3). P1 00: UID; P1 01: ATS, which a MIFARE Classic does not have.
      if (p1 !== 0x00 || p2 !== 0x00) return sw(SW.NOT_SUPPORTED);
      if (body.length > 1) return sw(SW.WRONG_LENGTH);
      const uid = card.uid;
      const le = body.length === 1 ? body[0] : 0;
      if (le !== 0 && le < uid.length) return sw(0x6c00 | uid.length); // 6C xx: "Le should be xx"
      return sw(SW.OK, uid);
    }
    case 0x82:
      return loadKeys(profile, keys, p1, p2, body);
    case 0x86: {
      // General Authenticate ([PCSC3] 3.2.2.1.6): Lc 05, data 01 (version) MSB LSB keyType keyNumber.
      if (p1 !== 0 || p2 !== 0) return sw(SW.NOT_SUPPORTED);
      if (body.length !== 6 || body[0] !== 5) return sw(SW.WRONG_LENGTH);
      if (body[1] !== 0x01 || body[2] !== 0x00) return sw(SW.NOT_SUPPORTED);
      return authenticate(card, profile, keys, body[3], body[4], body[5]);
    }
    case 0x88: {
      // [ACR122U] 5.2 "Authentication" (obsolete form): P2 block, then key type and number, no Lc.
      if (!profile.legacyAuthenticate) return sw(SW.NOT_SUPPORTED);
      if (p1 !== 0 || body.length !== 2) return sw(SW.WRONG_LENGTH);
      return authenticate(card, profile, keys, p2, body[0], body[1]);
    }
    case 0xb0: {
      // Read Binary ([PCSC3] 3.2.2.1.8): P1 P2 block number, Le 10 (00 = one block).
      const block = (p1 << 8) | p2;
      if (body.length !== 1 || (body[0] !== BLOCK && body[0] !== 0)) return sw(SW.WRONG_LENGTH);
      if (block >= BLOCKS) return sw(profile.words.noSuchBlock);
      return onCard(card, profile, 'read', () => card.readBlock(block));
    }
    case 0xd6: {
      // Update Binary ([PCSC3] 3.2.2.1.9): P1 P2 block number, Lc 10, 16 bytes.
      const block = (p1 << 8) | p2;
      if (body.length !== 1 + BLOCK || body[0] !== BLOCK) return sw(SW.WRONG_LENGTH);
      if (block >= BLOCKS) return sw(profile.words.noSuchBlock);
      return onCard(card, profile, 'write', () => card.writeBlock(block, body.slice(1)));
    }
    default:
      return sw(SW.NOT_SUPPORTED);
  }
}
