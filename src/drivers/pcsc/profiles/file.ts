/**
 * The reader profile file that `hmskort reader probe --json` writes and `--profile FILE` reads:
 *   { "format": "hmskort-reader-profile", "version": 1, "family": "acs" | "identiv" | "omnikey" |
 *     "generic", "reader": "<PC/SC reader name>", "atr": "<hex>", "observed": { ...free-form... } }
 * Parsed and validated here; every problem is a ProfileFileError naming the file and the field.
 */
import { READER_FAMILIES, type ReaderFamily } from './types.js';
import type { ErrorKind } from '../../../codec/errors.js';
import { needString } from '../../../codec/guard.js';

export const PROFILE_FILE_FORMAT = 'hmskort-reader-profile';
export const PROFILE_FILE_VERSION = 1;

export interface ReaderProfileFile {
  format: typeof PROFILE_FILE_FORMAT;
  version: 1;
  family: ReaderFamily;
  reader: string;
  atr: string;
  observed: Record<string, unknown>;
}

export type ProfileFileErrorCode = 'PROFILE_JSON' | 'PROFILE_FIELD' | 'PROFILE_VERSION' | 'PROFILE_READ';

export class ProfileFileError extends Error {
  override readonly name = 'ProfileFileError';
  /** A configuration file (CLI exit 3). */
  get kind(): ErrorKind {
    return 'config';
  }
  constructor(
    readonly code: ProfileFileErrorCode,
    readonly file: string,
    readonly field: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${file}${field ? ` field "${field}"` : ''}: ${message}`, options);
  }
}

const KEYS = new Set(['format', 'version', 'family', 'reader', 'atr', 'observed']);

/** Parses the text of a profile file; `file` names it in errors. */
export function parseProfileFile(text: string, file: string): ReaderProfileFile {
  needString('parseProfileFile', 'text', text);
  needString('parseProfileFile', 'file', file);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ProfileFileError('PROFILE_JSON', file, undefined, `not JSON (${(e as Error).message})`, { cause: e });
  }
  const bad = (field: string, what: string) => new ProfileFileError('PROFILE_FIELD', file, field, what);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('(top level)', 'must be a JSON object');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KEYS.has(k)) throw bad(k, `unknown field (known: ${[...KEYS].join(', ')})`);
  if (o.format !== PROFILE_FILE_FORMAT) throw bad('format', `must be "${PROFILE_FILE_FORMAT}"`);
  if (o.version !== PROFILE_FILE_VERSION) throw new ProfileFileError('PROFILE_VERSION', file, 'version', `version ${JSON.stringify(o.version)} is not supported (this build reads ${PROFILE_FILE_VERSION})`);
  if (typeof o.family !== 'string' || !(READER_FAMILIES as readonly string[]).includes(o.family)) throw bad('family', `must be one of ${READER_FAMILIES.join(', ')}`);
  if (typeof o.reader !== 'string' || o.reader.length === 0 || o.reader.length > 200) throw bad('reader', 'must be the PC/SC reader name (1-200 characters)');
  if (typeof o.atr !== 'string' || !/^([0-9a-fA-F]{2}){2,33}$/.test(o.atr)) throw bad('atr', 'must be the ATR in hex (2-33 bytes)');
  if (typeof o.observed !== 'object' || o.observed === null || Array.isArray(o.observed)) throw bad('observed', 'must be a JSON object');
  return { format: PROFILE_FILE_FORMAT, version: 1, family: o.family as ReaderFamily, reader: o.reader, atr: o.atr.toLowerCase(), observed: o.observed as Record<string, unknown> };
}
