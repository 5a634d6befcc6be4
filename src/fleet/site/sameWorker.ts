/**
 * When a card row and a worker added by hand are the same person (issue 18: a worker added while
 * the card was on order shows once the card arrives): same birth date, same employer organisation
 * number, and the same name compared case-insensitively with whitespace collapsed and Unicode NFC
 * (a name typed as "ola  HANSEN" or with a decomposed "ø" is still Ola Hansen). The name alone is
 * not enough (two people share names), nor the birth date and employer alone.
 */

/** The comparison form of a name: NFC, trimmed, runs of whitespace as one space, lower case. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

export interface WorkerIdentity {
  name: string | null;
  birthDate: string | null;
  orgNumber: string | null;
}

/** True when both name a person by the same name, birth date and employer; never for a missing field. */
export function sameWorker(a: WorkerIdentity, b: WorkerIdentity): boolean {
  if (a.name === null || b.name === null || a.birthDate === null || a.orgNumber === null) return false;
  return a.birthDate === b.birthDate && a.orgNumber === b.orgNumber && nameKey(a.name) === nameKey(b.name);
}
