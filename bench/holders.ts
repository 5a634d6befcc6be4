/**
 * The bench's inputs: N valid holders from a fixed seed (a plain LCG, so every run and every case
 * decodes the same bytes), with org numbers that pass mod-11, multi-byte names, and card numbers
 * on both sides of 2^31.
 */
import { orgCheckDigit } from '../src/codec/checkDigits.js';
import { validateHolder, type ValidHolder } from '../src/codec/holder.js';

export function benchHolders(n = 64, seedInit = 12345): ValidHolder[] {
  let seed = seedInit;
  const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % m);
  const out: ValidHolder[] = [];
  while (out.length < n) {
    const first8 = String(80_000_000 + rnd(19_999_999)).padStart(8, '0');
    const c = orgCheckDigit(first8);
    if (c < 0) continue;
    out.push(
      validateHolder({
        category: rnd(2) ? 'construction' : 'cleaning',
        // Half above 2^31 (up to 12 digits): numbers that are not small integers in V8 must not
        // cost the fast path an allocation either.
        cardNumber: String(rnd(2) ? 1 + rnd(2 ** 31 - 2) : 2 ** 31 + rnd(2 ** 31) * 400 + rnd(400)),
        orgNumber: first8 + c,
        orgName: ['Brønnøysund Bygg AS', 'Renhold Øst AS', 'Veidekke Entreprenør AS'][rnd(3)],
        givenName: ['Kari Ærlig', 'Jan', 'Åse Marie'][rnd(3)],
        familyName: ['Østby-Hågensen', 'Kowalski', 'Nordmann'][rnd(3)],
        birthDate: `19${50 + rnd(50)}-0${1 + rnd(9)}-1${rnd(10)}`,
        gender: ['M', 'F', 'X'][rnd(3)],
        expiry: `20${30 + rnd(60)}-1${rnd(3)}-2${rnd(9)}`,
        issue: rnd(256),
      }),
    );
  }
  return out;
}
