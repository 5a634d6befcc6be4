/**
 * Errors of the site's daily list (issue 18 parts 2-4): one class with a stable code, the file and
 * line for a configuration mistake (as the gate's policy file, src/gate/policy.ts), so the CLI
 * chooses the exit status from `kind` (src/cli/exitStatus.ts).
 */
import type { ErrorKind } from '../../codec/errors.js';
import { argumentError, needFunction, needObject } from '../../codec/guard.js';
import { ID_RE } from '../store/eventShape.js';

export type SiteErrorCode =
  | 'SITE_CONFIG' // the site configuration file is not valid JSON or not a valid site configuration
  | 'FILE_UNREADABLE' // the site configuration file cannot be read
  | 'SITE_MISMATCH' // --site names another site than the configuration file
  | 'BAD_WORKER' // a worker added by hand lacks a field or has a malformed one
  | 'NO_WORKER' // no worker added by hand with this id at this site
  | 'BAD_DATE' // a day that is not a calendar date YYYY-MM-DD
  | 'NO_HMSREG_NUMBER' // site export --hmsreg: the site configuration has no hmsregNumber
  | 'HMSREG_AUTH' // HMSREG refused the credentials (401/403): no tap is marked, the run stops
  | 'HMSREG_UNREACHABLE' // HMSREG kept failing (5xx, 429, network, time-out) after every retry
  | 'NOT_IN_DOUBT' // site export --mark-sent names a tap that is not in doubt (`unknown`)
  | 'BAD_TOKEN' // site serve's token file holds no usable token
  | 'BAD_PASSWORD_FILE'; // site export's password file holds no password on one line

export class SiteError extends Error {
  override readonly name = 'SiteError';
  readonly code: SiteErrorCode;
  /** The file (SITE_CONFIG, FILE_UNREADABLE) and its 1-based line where the value is, when known. */
  readonly file?: string;
  readonly line?: number;
  /** The configuration key or worker field that is wrong. */
  readonly field?: string;

  constructor(code: SiteErrorCode, message: string, details: { file?: string; line?: number; field?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.field = details.field;
  }

  /** An unreadable file is I/O (exit 4); the rest is configuration or data (exit 3). */
  get kind(): ErrorKind {
    if (this.code === 'FILE_UNREADABLE' || this.code === 'HMSREG_UNREACHABLE') return 'device';
    if (this.code === 'BAD_WORKER' || this.code === 'NO_WORKER' || this.code === 'BAD_DATE' || this.code === 'NOT_IN_DOUBT') return 'data';
    return 'config';
  }
}

const DAY_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** True when `s` is YYYY-MM-DD and names a real calendar day (2026-02-30 is refused). */
export function isCalendarDay(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DAY_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] && +m[1] >= 1000;
}

/** `s` when it is a calendar day, else SiteError BAD_DATE naming `what`. */
export function needDay(s: unknown, what: string): string {
  if (!isCalendarDay(s)) throw new SiteError('BAD_DATE', `${what}: expected a date YYYY-MM-DD, got ${JSON.stringify(s)}`, { field: what });
  return s;
}

/** Argument guards of the exported functions: a database (SqlDb or a transaction) and a parsed site configuration. */
export function needDbAndSite(fn: string, db: unknown, cfg: unknown, needTransaction = false): void {
  needObject(fn, 'db', db);
  needFunction(fn, 'db.query', (db as { query?: unknown }).query);
  if (needTransaction) needFunction(fn, 'db.transaction', (db as { transaction?: unknown }).transaction);
  needObject(fn, 'cfg', cfg);
  const id = (cfg as { siteId?: unknown }).siteId;
  if (typeof id !== 'string' || !ID_RE.test(id)) throw argumentError(fn, 'cfg.siteId', 'a site id (parseSiteConfig)', id);
}
