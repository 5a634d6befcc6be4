/**
 * The UID a virtual MIFARE Classic reports, by kind (NXP AN10927 "MIFARE product and handling of
 * UIDs", rev. 4.1, sections 2-3; MF1S50yyX/V1 datasheet rev. 3.2, section 10 "UID options and
 * handling"):
 * - 'fixed': a unique 4-byte (single size) or 7-byte (double size) UID, the same at every
 *   activation, stored in block 0.
 * - 'random-id': a new 4-byte random ID at every activation, its first byte 0x08 (AN10927: UID0 =
 *   08h marks a random ID). Block 0 keeps the chip's fixed UID (the MF1S50 EV1 "UIDF2" option
 *   answers the anticollision with the RID while block 0 holds the 7-byte UID: datasheet 10.1,
 *   Tables 15 and 16, activation sequence 3). Keys derived from the UID cannot work on such a card.
 * - 'nuid': a 4-byte non-unique ID (AN10927 "NUID"; datasheet 10.2: the MF1S503yX parts answer
 *   cascade level 1 only and store the 4-byte NUID in block 0). It is the same at every
 *   activation, but another card may have it too, and it must not start with 0x08.
 */
export type UidKind = 'fixed' | 'random-id' | 'nuid';

/** First byte of every random ID (AN10927, single size UID coding). */
export const RANDOM_ID_UID0 = 0x08;

/** Checks `uid` against its kind; returns a copy. Throws TypeError for a UID the kind cannot have. */
export function checkUid(uid: Uint8Array, kind: UidKind): Uint8Array {
  if (kind === 'nuid') {
    if (uid.length !== 4) throw new TypeError(`a NUID is 4 bytes, got ${uid.length}`);
    if (uid[0] === RANDOM_ID_UID0) throw new TypeError('a NUID cannot start with 0x08: that first byte marks a random ID (AN10927)');
  } else if (uid.length !== 4 && uid.length !== 7) {
    throw new TypeError(`a MIFARE Classic 1K UID is 4 or 7 bytes, got ${uid.length}`);
  }
  return uid.slice();
}

/** A fresh random ID: 08 and three random bytes (AN10927). */
export function newRandomId(random: (n: number) => Uint8Array): Uint8Array {
  const r = random(3);
  return Uint8Array.from([RANDOM_ID_UID0, r[0] ?? 0, r[1] ?? 0, r[2] ?? 0]);
}

/** Random bytes from the platform's CSPRNG (Web Crypto, present in Node 18+). */
export function platformRandom(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
