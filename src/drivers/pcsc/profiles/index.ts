/**
 * The reader profiles, one table per family, and how the driver picks one: the `--profile` value
 * (a family id, or the path of a profile file written by `hmskort reader probe --json`), else the
 * first family whose name list matches the PC/SC reader name, else generic PC/SC Part 3.
 */
import { readFile } from 'node:fs/promises';
import { CardError } from '../../../transport/card.js';
import { ACS } from './acs.js';
import { GENERIC, PCSC_PART3_SW } from './generic.js';
import { IDENTIV } from './identiv.js';
import { OMNIKEY } from './omnikey.js';
import { ProfileFileError, parseProfileFile, type ReaderProfileFile } from './file.js';
import { READER_FAMILIES, lookupSw, type ProfileOp, type ReaderFamily, type ReaderProfile, type SwRow } from './types.js';
import { needObject, needString } from '../../../codec/guard.js';

export { READER_FAMILIES, codeFor, silences, lookupSw, type ReaderFamily, type ProfileOp, type SwMeaning, type SwRow, type LoadKeyForm, type ReaderProfile } from './types.js';
export { ACS, IDENTIV, OMNIKEY, GENERIC, PCSC_PART3_SW };
export { parseProfileFile, ProfileFileError, PROFILE_FILE_FORMAT, PROFILE_FILE_VERSION, type ReaderProfileFile } from './file.js';

export const PROFILES: Readonly<Record<ReaderFamily, ReaderProfile>> = { acs: ACS, identiv: IDENTIV, omnikey: OMNIKEY, generic: GENERIC };

export function isReaderFamily(s: string): s is ReaderFamily {
  return (READER_FAMILIES as readonly string[]).includes(s);
}

/** The profile for a PC/SC reader name ("ACS ACR122U PICC Interface 00 00" -> ACS). */
export function profileForReaderName(name: string): ReaderProfile {
  needString('profileForReaderName', 'name', name);
  const n = name.toLowerCase();
  for (const p of [ACS, IDENTIV, OMNIKEY]) if (p.names.some((s) => n.includes(s))) return p;
  return GENERIC;
}

/** The family's row for a status word, else the PC/SC Part 3 row every family inherits. */
export function swRow(profile: ReaderProfile, op: ProfileOp, sw: number): SwRow | undefined {
  return lookupSw(profile, op, sw) ?? PCSC_PART3_SW.find((r) => r.sw === sw && (!r.ops || r.ops.includes(op)));
}

/** What the `--profile` option asked for, resolved before the reader is known. */
export type ProfileChoice = { kind: 'auto' } | { kind: 'family'; family: ReaderFamily } | { kind: 'file'; file: string; data: ReaderProfileFile };

/** Reads a `--profile` value: a family id, or a profile file (ProfileFileError when it is not one). */
export async function readProfileOption(value: string | undefined): Promise<ProfileChoice> {
  if (value !== undefined) needString('readProfileOption', 'value', value);
  if (value === undefined || value === '' || value === 'auto') return { kind: 'auto' };
  if (isReaderFamily(value)) return { kind: 'family', family: value };
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (e) {
    throw new ProfileFileError('PROFILE_READ', value, undefined, `not a reader family (${READER_FAMILIES.join(', ')}) and not a readable profile file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return { kind: 'file', file: value, data: parseProfileFile(text, value) };
}

/** The profile for a reader, given the option; says where the choice came from. */
export function chooseProfile(choice: ProfileChoice, readerName: string): { profile: ReaderProfile; source: string } {
  needObject('chooseProfile', 'choice', choice);
  needString('chooseProfile', 'readerName', readerName);
  if (choice.kind === 'family') return { profile: PROFILES[choice.family], source: `--profile ${choice.family}` };
  if (choice.kind === 'file') {
    if (choice.data.reader !== readerName) {
      // A profile probed on another reader model is still the user's explicit choice; say so.
      return { profile: PROFILES[choice.data.family], source: `profile file ${choice.file} (probed on "${choice.data.reader}")` };
    }
    return { profile: PROFILES[choice.data.family], source: `profile file ${choice.file}` };
  }
  const profile = profileForReaderName(readerName);
  return { profile, source: profile === GENERIC ? 'no family matched the reader name' : 'reader name' };
}

/** A CardError for a status word the tables do not know: names the reader, profile and word. */
export function unknownSwError(op: ProfileOp, sw: number, readerName: string, profile: ReaderProfile, block?: number): CardError {
  const where = block === undefined ? '' : ` block ${block}`;
  return new CardError('IO', `${op}${where}: ${readerName} (profile ${profile.family}) answered ${sw.toString(16).padStart(4, '0').toUpperCase()}, which no reader profile knows`, { block, sector: block === undefined ? undefined : block >> 2, sw });
}
