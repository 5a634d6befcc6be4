/**
 * Reader firmware profiles: how each family of contactless PC/SC readers answers the MIFARE
 * Classic pseudo-APDUs of PC/SC Part 3 (v2.02, section 3.2.2.1, class FF). One table per family,
 * written from the vendors' manuals (section next to every row), so that a new reader is one entry
 * here plus its tests. The emulated firmware (apdu.ts) reads only these tables.
 *
 * Written independently of the PC/SC driver's own profile tables (src/drivers/pcsc/): two models
 * of the same documents cross-check each other.
 *
 * Sources:
 *   [PCSC3]   PC/SC Workgroup, Interoperability Specification Part 3, v2.02: 3.2.2.1.4 Load Keys
 *             (P1 b5 = non-volatile), 3.2.2.1.6 General Authenticate and their status-word tables.
 *   [ACR122U] ACS ACR122U API v2.04: 5.1 Load Authentication Keys (P1 00, key number 00-01,
 *             "the keys disappear once the reader is disconnected"), 5.2 Authentication (FF 86 and
 *             the obsolete FF 88), 5.3/5.4 Read/Update Binary; every error is 63 00.
 *   [ACR1252U] ACS ACR1252U reference manual v1.x, 5.2.4.1-5.2.4.4: the same commands and words.
 *   [SCL3711] SCM/Identiv SCL3711 reference manual, 6.2.3 STORAGE_CARD_CMDS_LOAD_KEYS: P1 00,
 *             P2 = key type 60/61; 69 83 reader key not supported, 69 85 secured transmission not
 *             supported, 69 87 non-volatile memory not available, 69 88 key number not valid,
 *             69 89 key length not correct.
 *   [SCL01X]  Identiv SCL010/01X reference manual, 6.2.4 STORAGE_CARD_CMDS_AUTHENTICATE: 63 00
 *             no further info, 69 82 security status not satisfied, 69 84 referenced key not
 *             usable, 69 86 key type not known. [SCM3712] 8.2.2.4 Write Binary: 69 82, 64 00
 *             "state of non-volatile memory unchanged".
 *   [UTRUST]  Identiv uTrust 3720 F reference manual v1.00, 6.2.3 PAPDU_MIFARE_LOAD_KEYS (example
 *             FF 82 00 60 06 key), 6.2.4 PAPDU_MIFARE_AUTHENTICATE.
 *   [OMNIKEY] HID OMNIKEY Contactless Smart Card Readers Developer Guide 5321-903 rev B.4, 6.1
 *             (MIFARE via PC/SC Part 3) and 8.1-8.2 (key numbering, key container and slots);
 *             status words as [PCSC3]: 64 00 time-out (no answer from the card), 65 81 memory
 *             failure, 69 82 security status not satisfied, 69 84/86/88/89, 6A 82.
 */
import { needOptions } from '../../codec/guard.js';
import type { ErrorKind } from '../../codec/errors.js';

/** Reader family ids, shared with the PC/SC driver and the profile file (`reader probe --json`). */
export type ReaderFamily = 'acs' | 'identiv' | 'omnikey' | 'generic';

/** The emulated families (generic has no firmware of its own: it is what the driver falls back to). */
export type EmulatedFamily = Exclude<ReaderFamily, 'generic'>;

/** How Load Keys (FF 82 P1 P2 06 key) addresses the reader's key memory. */
export type KeyAddressing =
  /** P1 00 (volatile) with P2 = key number; ACS. */
  | { kind: 'number'; volatileNumbers: readonly number[]; nonVolatileNumbers: readonly number[] }
  /** P1 00 with P2 = key type 60/61: one volatile key per key type; Identiv/SCM. */
  | { kind: 'key-type' };

/** Status words (SW1 << 8 | SW2) a family answers, by situation. */
export interface FirmwareWords {
  /** Load Keys refused: key number not valid / memory kind not available. */
  badKeyNumber: number;
  /** Load Keys with P1 asking for non-volatile memory on a reader without it. */
  noNonVolatile: number;
  /** Load Keys with a key that is not 6 bytes. */
  badKeyLength: number;
  /** Authentication with a key number / key type whose key was never loaded. */
  keyNotLoaded: number;
  /** Authentication with a key type other than 60/61. */
  unknownKeyType: number;
  /** The card refused the key (wrong key, blocked sector). */
  wrongKey: number;
  /** The chip is silent after an earlier failure: no answer to an authentication. */
  silentAuth: number;
  /** The chip is silent: no answer to a read or write. */
  silentAccess: number;
  /** Read or write of a block outside the authenticated sector. */
  notAuthenticated: number;
  /** Read refused by the access conditions. */
  readDenied: number;
  /** Write refused by the access conditions (or block 0). */
  writeDenied: number;
  /** Block number beyond the card. */
  noSuchBlock: number;
}

export interface FirmwareProfile {
  family: EmulatedFamily;
  /** Reader names as PC/SC lists them (pcsc-lite/libccid), for the probe's name check. */
  readers: readonly string[];
  /** The name the emulator shows in `simulate` output and the probe's report. */
  title: string;
  keys: KeyAddressing;
  words: FirmwareWords;
  /** Accepts the obsolete ACR122U Authentication FF 88 00 blk type num. */
  legacyAuthenticate: boolean;
  /**
   * The reader re-activates the card by itself after a failed authentication or refused command
   * (some firmware does; none of the three families by default). When true the next command finds
   * the chip answering again, not authenticated.
   */
  reselectsAfterFailure: boolean;
}

const ACS: FirmwareProfile = {
  family: 'acs',
  title: 'ACS ACR122U / ACR1252U / ACR1281U',
  readers: ['ACS ACR122U PICC Interface', 'ACS ACR1252 1S CL Reader PICC', 'ACS ACR1281 1S Dual Reader PICC'],
  keys: { kind: 'number', volatileNumbers: [0x00, 0x01], nonVolatileNumbers: [] }, // [ACR122U] 5.1, [ACR1252U] 5.2.4.1
  legacyAuthenticate: true, // [ACR122U] 5.2: FF 88 "obsolete" form still accepted
  reselectsAfterFailure: false, // [ACR122U] 5.2 says nothing of a reselect: the host re-activates
  words: {
    badKeyNumber: 0x6300, // [ACR122U] 5.1 response codes: only 90 00 / 63 00
    noNonVolatile: 0x6300, // [ACR122U] 5.1: key structure "other = reserved", answered 63 00
    badKeyLength: 0x6300,
    keyNotLoaded: 0x6300, // [ACR122U] 5.2 response codes: 63 00 "the operation failed"
    unknownKeyType: 0x6300,
    wrongKey: 0x6300,
    silentAuth: 0x6300, // the chip does not answer: the reader still only says 63 00
    silentAccess: 0x6300, // [ACR122U] 5.3/5.4: 63 00 for any failed read/update
    notAuthenticated: 0x6300,
    readDenied: 0x6300,
    writeDenied: 0x6300,
    noSuchBlock: 0x6300,
  },
};

const IDENTIV: FirmwareProfile = {
  family: 'identiv',
  title: 'Identiv / SCM SCL3711, SCL011, uTrust 3700 F / 3720 F, SDI010/011',
  readers: ['SCM Microsystems Inc. SCL011 Contactless Reader', 'SCM Microsystems Inc. SCL3711 reader & NFC device', 'Identiv uTrust 3700 F CL Reader', 'Identiv uTrust 3720 F CL Reader', 'SCM Microsystems Inc. SDI011 Contactless Reader'],
  keys: { kind: 'key-type' }, // [SCL3711] 6.2.3.2 and [UTRUST] 6.2.3: P2 = 60 (key A) / 61 (key B)
  legacyAuthenticate: false, // [SCL01X] 6.2.4 documents only FF 86
  reselectsAfterFailure: false,
  words: {
    badKeyNumber: 0x6988, // [SCL3711] 6.2.3.4 "key number not valid" (FF 82 00 00: 00 is no key type)
    noNonVolatile: 0x6987, // [SCL3711] 6.2.3.4 "non volatile memory not available"
    badKeyLength: 0x6989, // [SCL3711] 6.2.3.4 "key length not correct"
    keyNotLoaded: 0x6984, // [SCL01X] 6.2.4.4 "referenced key not usable"
    unknownKeyType: 0x6986, // [SCL01X] 6.2.4.4 "key type not known"
    wrongKey: 0x6982, // [SCL01X] 6.2.4.4 "security status not satisfied"
    silentAuth: 0x6300, // [SCL01X] 6.2.4.4 "WARNING no further info": no answer from the card
    silentAccess: 0x6400, // [SCM3712] 8.2.2.4 "state of non volatile memory unchanged"
    notAuthenticated: 0x6982, // [SCM3712] 8.2.2.4 "security status not satisfied"
    readDenied: 0x6982,
    writeDenied: 0x6982,
    noSuchBlock: 0x6a82, // [PCSC3] Read/Update Binary "address does not exist"
  },
};

const OMNIKEY: FirmwareProfile = {
  family: 'omnikey',
  title: 'HID OMNIKEY 5022 / 5122 / 5422 / 5427 CK',
  readers: ['HID Global OMNIKEY 5022 Smart Card Reader', 'HID Global OMNIKEY 5122 Smartcard Reader', 'HID Global OMNIKEY 5422 Smartcard Reader', 'HID Global OMNIKEY 5427 CK'],
  // [OMNIKEY] 8.1-8.2: MIFARE keys in the reader's non-volatile key container, FF 82 20 nn with
  // nn 00-1F ([PCSC3] 3.2.2.1.4: P1 b5 set = non-volatile); the volatile form FF 82 00 nn is the
  // fall-back. The volatile key numbers are not in the part of the guide we could read: modelled as
  // 00-01, the [PCSC3] / ACS default (a probe of the real reader settles it).
  keys: { kind: 'number', volatileNumbers: [0x00, 0x01], nonVolatileNumbers: Array.from({ length: 0x20 }, (_, i) => i) },
  legacyAuthenticate: false,
  reselectsAfterFailure: false,
  words: {
    badKeyNumber: 0x6988, // [PCSC3] 3.2.2.1.4 "key number not valid"
    noNonVolatile: 0x6988,
    badKeyLength: 0x6989, // [PCSC3] 3.2.2.1.4 "key length is not correct"
    keyNotLoaded: 0x6984, // [PCSC3] 3.2.2.1.6 "reference key not usable"
    unknownKeyType: 0x6986, // [PCSC3] 3.2.2.1.6 "key type not known"
    wrongKey: 0x6982, // [PCSC3] 3.2.2.1.6 "security status not satisfied"
    silentAuth: 0x6400, // [OMNIKEY] 6.1: 64 00 time-out, the card did not answer
    silentAccess: 0x6400,
    notAuthenticated: 0x6982, // [PCSC3] 3.2.2.1.8/9 "security status not satisfied"
    readDenied: 0x6982,
    writeDenied: 0x6581, // [PCSC3] 3.2.2.1.9 Update Binary "memory failure (unsuccessful writing)"
    noSuchBlock: 0x6a82, // [PCSC3] "address does not exist"
  },
};

/** Every emulated family's table. */
export const FIRMWARE_PROFILES: Readonly<Record<EmulatedFamily, FirmwareProfile>> = { acs: ACS, identiv: IDENTIV, omnikey: OMNIKEY };

export const EMULATED_FAMILIES: readonly EmulatedFamily[] = ['acs', 'identiv', 'omnikey'];

export interface FirmwareOptions {
  /** The lenient mode of a reader that re-activates the card itself after a failure. */
  reselectsAfterFailure?: boolean;
}

/** A family we do not emulate was asked for; `code` is stable for callers to branch on. */
export class ReaderProfileError extends Error {
  override readonly name = 'ReaderProfileError';
  readonly code = 'UNKNOWN_READER_PROFILE';
  /** A configuration value: the profile named on the command line or in a test (CLI exit 3). */
  get kind(): ErrorKind {
    return 'config';
  }
}

/** The table of `family`, with options applied; ReaderProfileError for a family we do not emulate. */
export function firmwareProfile(family: string, opts: FirmwareOptions = {}): FirmwareProfile {
  needOptions('firmwareProfile', 'opts', opts);
  const base = typeof family === 'string' ? (FIRMWARE_PROFILES as Record<string, FirmwareProfile | undefined>)[family] : undefined;
  if (!base || !Object.prototype.hasOwnProperty.call(FIRMWARE_PROFILES, family)) {
    throw new ReaderProfileError(`no emulated reader profile ${JSON.stringify(family)} (expected ${EMULATED_FAMILIES.join(', ')})`);
  }
  return opts.reselectsAfterFailure === undefined ? base : { ...base, reselectsAfterFailure: opts.reselectsAfterFailure };
}
