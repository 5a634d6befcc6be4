/**
 * Generic PC/SC Part 3 (Interoperability Specification for ICCs and Personal Computer Systems,
 * Part 3, v2.02, section 3.2.2.1 "Storage card commands"): every contactless reader that claims
 * Part 3 answers these words. The family tables list their own words first; these rows answer what
 * a family table does not (profiles/index.ts).
 */
import type { ReaderProfile, SwRow } from './types.js';

const P3 = 'PC/SC Part 3 v2.02';
const LOAD = `${P3} 3.2.2.1.4 Load Keys`;
const AUTH = `${P3} 3.2.2.1.6 General Authenticate`;
const READ = `${P3} 3.2.2.1.8 Read Binary`;
const UPDATE = `${P3} 3.2.2.1.9 Update Binary`;

export const PCSC_PART3_SW: readonly SwRow[] = [
  { sw: 0x6300, ops: ['load-key'], meaning: 'io', cite: `${LOAD}: 63 00 no information given` },
  { sw: 0x6300, ops: ['authenticate', 'read', 'write'], meaning: 'failed', cite: `${AUTH}, ${READ}, ${UPDATE}: 63 00 no information given` },
  { sw: 0x6982, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 82 card key not supported` },
  { sw: 0x6983, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 83 reader key not supported` },
  { sw: 0x6984, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 84 plain transmission not supported` },
  { sw: 0x6985, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 85 secured transmission not supported` },
  { sw: 0x6986, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 86 volatile memory is not available` },
  { sw: 0x6987, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 87 non volatile memory is not available` },
  { sw: 0x6988, ops: ['load-key', 'authenticate'], meaning: 'key-form', cite: `${LOAD}, ${AUTH}: 69 88 key number not valid` },
  { sw: 0x6989, ops: ['load-key'], meaning: 'key-form', cite: `${LOAD}: 69 89 key length is not correct` },
  { sw: 0x6982, ops: ['authenticate'], meaning: 'wrong-key', cite: `${AUTH}: 69 82 security status not satisfied` },
  { sw: 0x6983, ops: ['authenticate'], meaning: 'failed', cite: `${AUTH}: 69 83 authentication cannot be done` },
  { sw: 0x6984, ops: ['authenticate'], meaning: 'key-form', cite: `${AUTH}: 69 84 referenced key not usable` },
  { sw: 0x6986, ops: ['authenticate'], meaning: 'key-form', cite: `${AUTH}: 69 86 key type not known` },
  { sw: 0x6581, ops: ['authenticate'], meaning: 'no-block', cite: `${AUTH}: 65 81 memory failure, addressed by P1-P2 does not exist` },
  { sw: 0x6581, ops: ['write'], meaning: 'io', cite: `${UPDATE}: 65 81 memory failure (unsuccessful storage)` },
  { sw: 0x6281, ops: ['read'], meaning: 'io', cite: `${READ}: 62 81 part of returned data may be corrupted` },
  { sw: 0x6282, ops: ['read', 'write'], meaning: 'io', cite: `${READ}, ${UPDATE}: 62 82 end of file reached` },
  { sw: 0x6981, ops: ['read', 'write'], meaning: 'refused', cite: `${READ}, ${UPDATE}: 69 81 command incompatible` },
  { sw: 0x6982, ops: ['read', 'write'], meaning: 'refused', cite: `${READ}, ${UPDATE}: 69 82 security status not satisfied` },
  { sw: 0x6986, ops: ['read', 'write'], meaning: 'refused', cite: `${READ}, ${UPDATE}: 69 86 command not allowed` },
  { sw: 0x6400, meaning: 'silent', cite: 'ISO/IEC 7816-4 5.6: 64 00 execution error, memory unchanged (the card did not answer)' },
  { sw: 0x6a82, meaning: 'no-block', cite: `${READ}, ${UPDATE}: 6A 82 addressed block or byte does not exist` },
  { sw: 0x6b00, meaning: 'no-block', cite: `${READ}, ${UPDATE}: 6B 00 wrong parameter P1-P2` },
  { sw: 0x6700, meaning: 'no-block', cite: `${READ}, ${UPDATE}: 67 00 wrong length` },
  { sw: 0x6a81, meaning: 'not-supported', cite: `${READ}, ${UPDATE}: 6A 81 function not supported` },
  { sw: 0x6800, meaning: 'not-supported', cite: `${READ}, ${UPDATE}: 68 00 class byte is not correct` },
  { sw: 0x6d00, meaning: 'not-supported', cite: 'ISO/IEC 7816-4 5.6: 6D 00 instruction code not supported' },
  { sw: 0x6e00, meaning: 'not-supported', cite: 'ISO/IEC 7816-4 5.6: 6E 00 class not supported' },
];

export const GENERIC: ReaderProfile = {
  family: 'generic',
  label: 'generic PC/SC Part 3 reader',
  names: [],
  slots: 2,
  // Load Keys P1 00 = "key is loaded into the reader volatile memory", P2 the key number (3.2.2.1.4).
  // A reader that names keys by key type (Identiv/SCM, SCL3711 RM 6.2.3) refuses number 00 with
  // 69 88 "key number not valid": then the key-type form, so an unknown reader of that kind works.
  loadKey: [
    { p1: 0x00, p2: (slot) => slot, authKeyNumber: (slot) => slot, fallBackOn: [0x6988], cite: LOAD },
    { p1: 0x00, p2: (_s, t) => (t === 'A' ? 0x60 : 0x61), authKeyNumber: (_s, t) => (t === 'A' ? 0x60 : 0x61), cite: `${LOAD}; SCL3711 Reference Manual 6.2.3` },
  ],
  reselects: false,
  sw: [],
};
