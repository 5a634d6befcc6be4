/**
 * HID OMNIKEY readers: 5022, 5122, 5422, 5427 CK (OMNIKEY 5022/5422 Developer Guide and OMNIKEY
 * 5x27 CK Developer Guide, chapter "PC/SC storage card commands"). Load Keys with P1 20 stores the
 * key in the reader's non-volatile memory (key numbers 00-1F); the volatile form P1 00 names the
 * single session key 20 and is refused by some firmware with 69 86 "volatile memory not
 * available" (the reverse fall-back is offered too). A card that does not answer (silent after a
 * failure) is 64 00 "execution error / time-out". 65 81, 69 82/84/86/88/89 and 6A 82 keep their
 * PC/SC Part 3 meanings.
 */
import type { ReaderProfile } from './types.js';

const DG = 'HID OMNIKEY 5022/5422 Developer Guide, PC/SC storage card commands';

export const OMNIKEY: ReaderProfile = {
  family: 'omnikey',
  label: 'HID OMNIKEY (5022, 5122, 5422, 5427 CK)',
  names: ['omnikey', 'hid global'],
  slots: 2,
  loadKey: [
    // Non-volatile first: written once per key and card connection, then named by number.
    { p1: 0x20, p2: (slot) => slot, authKeyNumber: (slot) => slot, fallBackOn: [0x6986, 0x6987, 0x6988, 0x6300], cite: `${DG}: Load Keys P1 20 non-volatile, key number 00-1F` },
    { p1: 0x00, p2: () => 0x20, authKeyNumber: () => 0x20, cite: `${DG}: Load Keys P1 00 volatile, session key number 20` },
  ],
  reselects: false,
  sw: [
    { sw: 0x6400, meaning: 'silent', cite: `${DG}: 64 00 execution error (card did not answer: time-out)` },
    // The chip NAKed the write (access conditions): the reader reports the unsuccessful storage.
    { sw: 0x6581, ops: ['write'], meaning: 'refused', cite: `${DG}: 65 81 memory failure (unsuccessful writing)` },
    { sw: 0x6581, ops: ['read'], meaning: 'io', cite: `${DG}: 65 81 memory failure` },
    { sw: 0x6982, ops: ['authenticate'], meaning: 'wrong-key', cite: `${DG}: 69 82 security status not satisfied` },
    { sw: 0x6982, ops: ['read', 'write'], meaning: 'refused', cite: `${DG}: 69 82 security status not satisfied` },
    { sw: 0x6984, ops: ['authenticate'], meaning: 'key-form', cite: `${DG}: 69 84 referenced key not usable` },
    { sw: 0x6986, ops: ['authenticate'], meaning: 'key-form', cite: `${DG}: 69 86 key type not known` },
    { sw: 0x6986, ops: ['read', 'write'], meaning: 'refused', cite: `${DG}: 69 86 command not allowed` },
    { sw: 0x6988, ops: ['load-key', 'authenticate'], meaning: 'key-form', cite: `${DG}: 69 88 key number not valid` },
    { sw: 0x6989, ops: ['load-key'], meaning: 'key-form', cite: `${DG}: 69 89 key length not correct` },
    { sw: 0x6a82, meaning: 'no-block', cite: `${DG}: 6A 82 block does not exist` },
  ],
};
