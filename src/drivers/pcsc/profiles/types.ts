/**
 * A reader profile: how one family of PC/SC contactless readers takes the MIFARE Classic
 * pseudo-APDUs of PC/SC Part 3 (class FF) and what its status words mean. Data only: a family is
 * one table (acs.ts, identiv.ts, omnikey.ts, generic.ts); a new reader is one row plus its tests
 * (test/unit/drivers/pcsc/profiles/pcsc-profiles.test.ts). The driver (../card.ts) reads the table; nothing here sends bytes.
 */
import type { CardErrorCode, KeyType } from '../../../transport/card.js';

export type ReaderFamily = 'acs' | 'identiv' | 'omnikey' | 'generic';
export const READER_FAMILIES: readonly ReaderFamily[] = ['acs', 'identiv', 'omnikey', 'generic'];

/** The operations the driver sends; 'get-uid' is FF CA 00 00 00 on every family. */
export type ProfileOp = 'get-uid' | 'load-key' | 'authenticate' | 'read' | 'write';

/**
 * What a status word means for one operation:
 *   wrong-key     the card refused the key (AUTH_FAILED); the chip is silent afterwards
 *   silent        the chip did not answer (CARD_SILENT once the driver knows it went silent,
 *                 otherwise TIMEOUT)
 *   refused       the card refused the access (ACCESS_DENIED, or NOT_AUTHENTICATED when the driver
 *                 holds no authentication for the block's sector); the chip is silent afterwards
 *   not-authenticated  the reader itself says no sector is authenticated
 *   key-form      the reader does not take this key type, key number or key-loading form
 *   no-block      the block does not exist
 *   not-supported the reader does not know the command
 *   failed        the reader says the operation failed and not why (ACS 63 00): on authenticate a
 *                 wrong key, on read/write a refusal
 *   io            a reader or memory fault
 */
export type SwMeaning = 'wrong-key' | 'silent' | 'refused' | 'not-authenticated' | 'key-form' | 'no-block' | 'not-supported' | 'failed' | 'io';

export interface SwRow {
  sw: number;
  /** The operations this row applies to; all when absent. */
  ops?: readonly ProfileOp[];
  meaning: SwMeaning;
  /** Where the reader's manual says so. */
  cite: string;
}

/** One Load Keys form: the APDU header bytes P1 and P2 for a key slot and key type. */
export interface LoadKeyForm {
  /** P1, the key structure: 00 volatile, 20 non-volatile (PC/SC Part 3 3.2.2.1.4). */
  p1: number;
  /** P2, the key number for (slot, keyType). */
  p2(slot: number, keyType: KeyType): number;
  /** Key number named in General Authenticate for a key loaded this way. */
  authKeyNumber(slot: number, keyType: KeyType): number;
  /** Status words on which the driver tries the next form instead of failing. */
  fallBackOn?: readonly number[];
  cite: string;
}

export interface ReaderProfile {
  family: ReaderFamily;
  /** A human name for messages: "ACS (ACR122U, ACR1252U, ACR1281U)". */
  label: string;
  /** Reader-name substrings (lower case) that select this profile; the generic profile has none. */
  names: readonly string[];
  /** Key slots the driver rotates through (slot numbers 0..slots-1, mapped by the form's p2). */
  slots: number;
  /** Load Keys forms, tried in order on the first key load of a connection. */
  loadKey: readonly LoadKeyForm[];
  /** True when the reader re-selects a silent card by itself (none of ours does). */
  reselects: boolean;
  sw: readonly SwRow[];
}

/** Maps a meaning to the CardError code, given what the driver knows about the card. */
export function codeFor(meaning: SwMeaning, op: ProfileOp, ctx: { silent: boolean; authenticated: boolean }): CardErrorCode {
  // Once the chip went silent, every failure is the silence, never a wrong key (NXP AN1304).
  if (ctx.silent && meaning !== 'no-block' && meaning !== 'not-supported' && meaning !== 'key-form') return 'CARD_SILENT';
  switch (meaning) {
    case 'wrong-key':
      return 'AUTH_FAILED';
    case 'silent':
      return 'TIMEOUT';
    case 'failed':
      return op === 'authenticate' ? 'AUTH_FAILED' : op === 'read' || op === 'write' ? (ctx.authenticated ? 'ACCESS_DENIED' : 'NOT_AUTHENTICATED') : 'IO';
    case 'refused':
      return op === 'authenticate' ? 'AUTH_FAILED' : ctx.authenticated ? 'ACCESS_DENIED' : 'NOT_AUTHENTICATED';
    case 'not-authenticated':
      return op === 'authenticate' ? 'AUTH_FAILED' : 'NOT_AUTHENTICATED';
    case 'key-form':
      return 'KEY_TYPE_UNSUPPORTED';
    case 'no-block':
      return 'BAD_BLOCK';
    case 'not-supported':
      return 'NOT_SUPPORTED';
    default:
      return 'IO';
  }
}

/** True when a failure with this meaning leaves a MIFARE Classic chip silent (NXP AN1304; MF1S50 9.1). */
export function silences(meaning: SwMeaning, op: ProfileOp): boolean {
  if (op === 'authenticate') return meaning === 'wrong-key' || meaning === 'failed' || meaning === 'refused' || meaning === 'not-authenticated' || meaning === 'silent';
  if (op === 'read' || op === 'write') return meaning !== 'not-supported' && meaning !== 'no-block';
  return false;
}

/** The row for a status word and operation, or undefined when the profile does not know it. */
export function lookupSw(profile: ReaderProfile, op: ProfileOp, sw: number): SwRow | undefined {
  return profile.sw.find((r) => r.sw === sw && (!r.ops || r.ops.includes(op)));
}
