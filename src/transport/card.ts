/**
 * The interface to a presented MIFARE Classic card, at block level (MF1S50 datasheet, section 9,
 * "Memory operations"). Every driver (the virtual card, PC/SC) implements it; the encoder and the
 * readers in src/card/ work only through it. Types and the error class only: no device is opened here.
 */
import type { ErrorKind } from '../codec/errors.js';

export type KeyType = 'A' | 'B';

export interface MifareClassicCard {
  /** The UID the card reports (4, 7 or 10 bytes). */
  readonly uid: Uint8Array;
  /** Authenticates the sector of `block` with the key; throws CardError AUTH_FAILED on a wrong key. */
  authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void>;
  /** Reads one 16-byte block of the authenticated sector. */
  readBlock(block: number): Promise<Uint8Array>;
  /** Writes one 16-byte block of the authenticated sector. */
  writeBlock(block: number, data: Uint8Array): Promise<void>;
  /**
   * Re-activates the card: field reset (or the reader's reselect), then REQA/anticollision/select,
   * as a reader must after a failed authentication or any refused command, which leave the chip
   * silent (NXP AN1304; MF1S50 datasheet 9.1). Afterwards nothing is authenticated. Rejects with
   * CARD_REMOVED when no card answers, UID_CHANGED when another UID does (random-ID card or a swap).
   */
  reactivate(): Promise<void>;
}

/** Stable codes a caller can branch on. */
export type CardErrorCode =
  | 'AUTH_FAILED' // wrong key, or the sector is locked for ever
  | 'ACCESS_DENIED' // the access conditions forbid this operation with the authenticated key
  | 'NOT_AUTHENTICATED' // no authentication for this sector
  | 'CARD_REMOVED' // the card left the field (or was never there)
  | 'BAD_BLOCK' // block number out of range, or bad data length
  | 'NOT_SUPPORTED' // the presented card is not a MIFARE Classic (e.g. ISO 14443-4)
  | 'TIMEOUT' // no answer in time
  | 'CARD_SILENT' // the chip stopped answering after a failure: re-activate it before the next command
  | 'UID_CHANGED' // after a re-activation another UID answered (random-ID card, or the card was swapped)
  | 'KEY_TYPE_UNSUPPORTED' // the reader does not take this key type or key-loading form
  | 'IO'; // anything else from the reader or the link

export interface CardErrorDetails {
  block?: number;
  sector?: number;
  /** The status word (SW1 << 8 | SW2) of the failing APDU, where a reader gave one. */
  sw?: number;
  cause?: unknown;
}

export class CardError extends Error {
  override readonly name = 'CardError';
  readonly code: CardErrorCode;
  readonly block?: number;
  readonly sector?: number;
  readonly sw?: number;

  constructor(code: CardErrorCode, message: string, details: CardErrorDetails = {}) {
    super(`${code}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.block = details.block;
    this.sector = details.sector;
    this.sw = details.sw;
  }

  /** A device error: the reader or the card in it (CLI exit 4, src/cli/exitStatus.ts). */
  get kind(): ErrorKind {
    return 'device';
  }

  /** The card left the field: retry with the card presented again. */
  get removed(): boolean {
    return this.code === 'CARD_REMOVED';
  }

  /** The chip is silent after a failure: re-activate it (never a wrong key). */
  get silent(): boolean {
    return this.code === 'CARD_SILENT';
  }

  /** Authentication failed: the key is wrong for this card. */
  get authFailed(): boolean {
    return this.code === 'AUTH_FAILED';
  }
}

export function isCardError(e: unknown): e is CardError {
  return e instanceof CardError;
}

/**
 * A reader on which cards are presented and removed. Events: 'card' (MifareClassicCard),
 * 'removed' (uid), 'error' (Error). Implementations: the virtual reader (testing) and PC/SC.
 */
export interface CardReader {
  readonly name: string;
  on(event: 'card', listener: (card: MifareClassicCard) => void): this;
  on(event: 'removed', listener: (uid: Uint8Array) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  off(event: string, listener: (...args: never[]) => void): this;
  /** Resolves with the next card presented (or the one present now). */
  waitForCard(opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<MifareClassicCard>;
  close(): Promise<void>;
}
