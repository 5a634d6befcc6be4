/**
 * `hmskort reader probe`: what a contactless PC/SC reader does with a transport-keyed blank MIFARE
 * Classic, so a person who has just plugged one in learns which profile it needs (and can send the
 * answer with a bug report). A pure-ish function over `ProbeTarget`, so it runs against the
 * emulated firmware in memory (src/testing/emulatedReader.ts) and against the real PC/SC driver.
 *
 * It NEVER writes to the card: it sends only Get Data (FF CA), Load Keys (FF 82) into the reader's
 * VOLATILE memory, and General Authenticate (FF 86); every other instruction is refused here
 * before it reaches the reader. Steps (PC/SC Part 3 v2.02 section 3.2.2.1 for the APDUs):
 *   1. Get UID; UID kind after NXP AN10927 section 2 (single size 4, double 7, triple 10 bytes;
 *      a 4-byte UID starting 08 is a random ID, one whose first byte ends in F a non-unique NUID).
 *   2. The volatile Load Keys forms the reader accepts (the transport key FF..FF is harmless).
 *   3. Authenticate with a wrong key: the status word of a refused key.
 *   4. At once the right key: 90 00 means the reader re-activated the chip by itself (a MIFARE
 *      Classic is silent after a failed authentication until re-activated, NXP AN1304).
 *   5. Re-activate through the reader (PC/SC reset): does the UID stay the same, does the key
 *      loaded before the reset still work; reset again, reload the key, authenticate: does a
 *      reset recover.
 * The family follows from those words (profiles of src/drivers/vpcd/profiles.ts) and, second,
 * from the reader's name.
 */
import { toHex } from '../../codec/hex.js';
import { CardError } from '../../transport/card.js';
import type { ReaderFamily } from '../vpcd/profiles.js';

/** What the probe needs of a card in a reader (the PC/SC driver's PcscMifareCard provides it). */
export interface ProbeTarget {
  readonly readerName: string;
  readonly atr: Uint8Array;
  readonly uid: Uint8Array;
  /** One command APDU; resolves with the response data followed by SW1 SW2. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Field reset / reselect through the reader (SCardReconnect with SCARD_RESET_CARD). */
  reactivate(): Promise<void>;
}

export type UidKind = 'single-4' | 'double-7' | 'triple-10' | 'random-id' | 'nuid';

export interface LoadKeyForm {
  form: 'volatile-0' | 'volatile-1' | 'volatile-20' | 'key-type-A';
  apdu: string;
  sw: string;
  accepted: boolean;
}

export interface ProbeReport {
  reader: string;
  atr: string;
  uid: string;
  uidKind: UidKind;
  loadKeys: LoadKeyForm[];
  /** SW of an authentication with a wrong key. */
  wrongKeySw: string;
  /** SW of the right key straight after the wrong one, with no reset between. */
  rightKeyAfterWrongSw: string;
  worksWithoutReset: boolean;
  /** SW of the right key after a reset through the reader (and a reload of the key). */
  afterResetSw: string;
  resetRecovers: boolean;
  uidAfterReset: string;
  /** The key loaded before a reset still authenticates after it (no reload). */
  keysSurviveReset: boolean;
  familyByName: ReaderFamily;
  familyByBehaviour: ReaderFamily;
  /** The profile the driver would use. */
  family: ReaderFamily;
  reselectsByItself: boolean;
  apdus: string[];
}

/** The profile file that `reader probe --json` writes and `--profile FILE` reads. */
export interface ReaderProfileFile {
  format: 'hmskort-reader-profile';
  version: 1;
  family: ReaderFamily;
  reader: string;
  atr: string;
  observed: Omit<ProbeReport, 'reader' | 'atr' | 'family' | 'apdus'>;
}

const TRANSPORT_KEY = new Uint8Array(6).fill(0xff);
/** Not a key any blank or HMS card uses (transport FF.., MAD A0A1.., NFC D3F7..): "hmsk" 00 01. */
const WRONG_KEY = Uint8Array.from([0x68, 0x6d, 0x73, 0x6b, 0x00, 0x01]);
const PROBE_BLOCK = 4; // sector 1: a transport trailer on a blank card, never the manufacturer block
const ALLOWED_INS = new Set([0xca, 0x82, 0x86]);

/** Family from the PC/SC reader name (pcsc-lite / libccid names; profiles.ts lists them). */
export function familyFromName(name: string): ReaderFamily {
  if (/\bACS\b|\bACR1\d{2,3}/i.test(name)) return 'acs';
  if (/Identiv|Identive|\bSCM\b|SCL\d|SDI0\d|uTrust/i.test(name)) return 'identiv';
  if (/OMNIKEY|HID Global/i.test(name)) return 'omnikey';
  return 'generic';
}

/** AN10927 section 2: UID size from its length; for 4 bytes, UID0 = 08 random ID, xF NUID. */
export function uidKind(uid: Uint8Array): UidKind {
  if (uid.length === 7) return 'double-7';
  if (uid.length === 10) return 'triple-10';
  if (uid.length !== 4) throw new CardError('IO', `a UID of ${uid.length} bytes (4, 7 or 10 expected)`);
  if (uid[0] === 0x08) return 'random-id';
  if ((uid[0] & 0x0f) === 0x0f) return 'nuid';
  return 'single-4';
}

const swOf = (r: Uint8Array) => (r.length < 2 ? -1 : (r[r.length - 2] << 8) | r[r.length - 1]);
const swHex = (w: number) => (w < 0 ? 'none' : w.toString(16).padStart(4, '0'));

interface Form {
  form: LoadKeyForm['form'];
  p2: number;
  /** Key number byte of General Authenticate for a key loaded this way. */
  number: number;
}

const FORMS: Form[] = [
  { form: 'volatile-0', p2: 0x00, number: 0x00 }, // ACR122U API 5.1; PC/SC Part 3 3.2.2.1.4
  { form: 'volatile-1', p2: 0x01, number: 0x01 },
  { form: 'volatile-20', p2: 0x20, number: 0x20 }, // the "session key" number 20 (ACR128 API 7.1; OMNIKEY, per the driver's table)
  { form: 'key-type-A', p2: 0x60, number: 0x01 }, // SCL3711 RM 6.2.3; uTrust 3720 F RM 6.2.4 (B4 = 01)
];

function loadKeyApdu(p2: number, key: Uint8Array): Uint8Array {
  return Uint8Array.from([0xff, 0x82, 0x00, p2, 0x06, ...key]);
}

function authApdu(block: number, number: number): Uint8Array {
  return Uint8Array.from([0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, 0x60, number]);
}

/** Family from the words seen (the tables of src/drivers/vpcd/profiles.ts, from the manuals). */
function classify(forms: LoadKeyForm[], wrong: number, silent: number, reselects: boolean): ReaderFamily {
  const ok = (f: LoadKeyForm['form']) => forms.some((x) => x.form === f && x.accepted);
  const numbered = ok('volatile-0') || ok('volatile-1') || ok('volatile-20');
  if (ok('key-type-A') && !numbered) return 'identiv';
  if (!numbered) return 'generic';
  if (wrong === 0x6300 && (reselects || silent === 0x6300)) return 'acs';
  if (wrong === 0x6982 && (reselects || silent === 0x6400)) return 'omnikey';
  return 'generic';
}

/** Re-activation through the reader; a new UID (random-ID card) is an observation, not a failure. */
async function reset(t: ProbeTarget): Promise<void> {
  try {
    await t.reactivate();
  } catch (e) {
    if (!(e instanceof CardError && e.code === 'UID_CHANGED')) throw e;
  }
}

/** Probes the reader holding a transport-keyed blank. Rejects with CardError when it cannot go on. */
export async function probeReader(t: ProbeTarget): Promise<ProbeReport> {
  const apdus: string[] = [];
  const send = async (apdu: Uint8Array): Promise<Uint8Array> => {
    // The no-write guarantee is enforced here, not only by the steps below.
    if (apdu[0] !== 0xff || !ALLOWED_INS.has(apdu[1])) throw new CardError('NOT_SUPPORTED', `the probe never sends INS ${toHex(apdu.subarray(1, 2))}`);
    if (apdu[1] === 0x82 && apdu[2] !== 0x00) throw new CardError('NOT_SUPPORTED', 'the probe loads keys only into volatile reader memory');
    const r = await t.transmit(apdu);
    apdus.push(`${toHex(apdu.subarray(0, 5))} -> ${swHex(swOf(r))}`);
    return r;
  };
  const getUid = async (): Promise<Uint8Array> => {
    const r = await send(Uint8Array.from([0xff, 0xca, 0x00, 0x00, 0x00]));
    if (swOf(r) !== 0x9000) throw new CardError('IO', `${t.readerName}: Get UID answered ${swHex(swOf(r))}`, { sw: swOf(r) });
    return r.slice(0, r.length - 2);
  };

  const uid = await getUid();
  const loadKeys: LoadKeyForm[] = [];
  for (const f of FORMS) {
    const apdu = loadKeyApdu(f.p2, TRANSPORT_KEY);
    const w = swOf(await send(apdu));
    loadKeys.push({ form: f.form, apdu: toHex(apdu.subarray(0, 5)), sw: swHex(w), accepted: w === 0x9000 });
  }
  const form = FORMS.find((f) => loadKeys.some((l) => l.form === f.form && l.accepted));
  if (!form) throw new CardError('KEY_TYPE_UNSUPPORTED', `${t.readerName}: no Load Keys form accepted (${loadKeys.map((l) => `${l.apdu} ${l.sw}`).join(', ')})`);

  // Sanity: the transport key must open the probe sector on a blank (else: not a blank, or a
  // reader we cannot drive); every later conclusion depends on it.
  const first = swOf(await send(authApdu(PROBE_BLOCK, form.number)));
  if (first !== 0x9000) throw new CardError('AUTH_FAILED', `${t.readerName}: the transport key does not open sector 1 (SW ${swHex(first)}): present a transport-keyed blank card`, { sw: first });

  await send(loadKeyApdu(form.p2, WRONG_KEY));
  const wrong = swOf(await send(authApdu(PROBE_BLOCK, form.number)));
  await send(loadKeyApdu(form.p2, TRANSPORT_KEY));
  const afterWrong = swOf(await send(authApdu(PROBE_BLOCK, form.number)));

  // A reset, then the key loaded before it: do volatile keys survive a reset? Then a second reset
  // (that attempt may have silenced the chip) and the key loaded again: does a reset recover?
  await reset(t);
  const uidAfter = await getUid();
  const keysSurviveReset = swOf(await send(authApdu(PROBE_BLOCK, form.number))) === 0x9000;
  await reset(t);
  await send(loadKeyApdu(form.p2, TRANSPORT_KEY));
  const afterReset = swOf(await send(authApdu(PROBE_BLOCK, form.number)));

  const reselects = afterWrong === 0x9000;
  const familyByName = familyFromName(t.readerName);
  const familyByBehaviour = classify(loadKeys, wrong, afterWrong, reselects);
  return {
    reader: t.readerName,
    atr: toHex(t.atr),
    uid: toHex(uid),
    uidKind: uidKind(uid),
    loadKeys,
    wrongKeySw: swHex(wrong),
    rightKeyAfterWrongSw: swHex(afterWrong),
    worksWithoutReset: reselects,
    afterResetSw: swHex(afterReset),
    resetRecovers: afterReset === 0x9000,
    uidAfterReset: toHex(uidAfter),
    keysSurviveReset,
    familyByName,
    familyByBehaviour,
    family: familyByBehaviour !== 'generic' ? familyByBehaviour : familyByName,
    reselectsByItself: reselects,
    apdus,
  };
}

/** The profile file of a probe (format shared with the PC/SC driver's `--profile FILE`). */
export function profileFile(r: ProbeReport): ReaderProfileFile {
  const { reader, atr, family, apdus: _apdus, ...observed } = r;
  return { format: 'hmskort-reader-profile', version: 1, family, reader, atr, observed };
}

/** The probe as a person reads it. */
export function formatProbe(r: ProbeReport): string {
  const lines = [
    `reader:            ${r.reader}`,
    `ATR:               ${r.atr}`,
    `UID:               ${r.uid} (${r.uidKind})${r.uidKind === 'random-id' ? ': refused for HMS cards, keys derive from the UID' : ''}`,
    `Load Keys forms:   ${r.loadKeys.map((l) => `${l.form} ${l.accepted ? 'accepted' : `refused ${l.sw}`}`).join(', ')}`,
    `wrong key:         SW ${r.wrongKeySw}`,
    `right key at once: SW ${r.rightKeyAfterWrongSw} (${r.worksWithoutReset ? 'the reader re-activates the card by itself' : 'the card is silent until re-activated'})`,
    `after a reset:     SW ${r.afterResetSw} (${r.resetRecovers ? 'a reset recovers' : 'a reset does NOT recover'})${r.uidAfterReset !== r.uid ? `, new UID ${r.uidAfterReset}` : ''}`,
    `keys after reset:  ${r.keysSurviveReset ? 'kept' : 'gone (loaded again after every reset)'}`,
    `profile:           ${r.family} (by behaviour: ${r.familyByBehaviour}, by name: ${r.familyByName})`,
  ];
  return lines.join('\n') + '\n';
}
