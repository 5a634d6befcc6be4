/**
 * The cardholder name of magnetic-stripe track 1 (spec section 4): `FAMILY/GIVEN` in the IATA
 * alphabet of ISO/IEC 7811-2 / 7813, which has upper-case A-Z, space and a few punctuation marks
 * only. Norwegian and other European letters are transliterated the way Norwegian passports and
 * bank cards write them (Ø -> OE, Å -> AA, Æ -> AE), the rest lose their diacritics.
 */
import { needString } from './guard.js';

/** Letters that NFD does not split into base + mark, or that Norwegian practice spells out (section 4). */
const REPLACE: Readonly<Record<string, string>> = {
  Å: 'AA',
  Æ: 'AE',
  Ø: 'OE',
  Ä: 'AE',
  Ö: 'OE',
  Ü: 'UE',
  Œ: 'OE',
  ẞ: 'SS',
  Þ: 'TH',
  Ð: 'D',
  Đ: 'D',
  Ł: 'L',
  Ħ: 'H',
  Ŧ: 'T',
  Ŋ: 'N',
  Ĳ: 'IJ',
  ı: 'I',
};
const REPLACE_RE = new RegExp(`[${Object.keys(REPLACE).join('')}]`, 'gu');

/** Maximum length of the joined name on track 1 (section 4). */
export const TRACK1_NAME_MAX = 26;

/**
 * One name transliterated per section 4, in its order: NFC; full Unicode upper case (ß -> SS);
 * the replacement table; NFD and drop U+0300-U+036F; keep only A-Z, space, '-' and "'"; collapse
 * runs of spaces and trim. May return "" (a name in a script with no Latin letters).
 */
export function transliterateName(name: string): string {
  needString('transliterateName', 'name', name);
  return name
    .normalize('NFC')
    .toUpperCase()
    .replace(REPLACE_RE, (c) => REPLACE[c])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z '-]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** `FAMILY/GIVEN`, cut to 26 characters and trailing spaces removed (section 4). */
export function track1Name(familyName: string, givenName: string): string {
  needString('track1Name', 'familyName', familyName);
  needString('track1Name', 'givenName', givenName);
  const joined = `${transliterateName(familyName)}/${transliterateName(givenName)}`;
  return joined.slice(0, TRACK1_NAME_MAX).replace(/ +$/, '');
}
