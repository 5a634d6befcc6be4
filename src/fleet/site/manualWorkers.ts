/**
 * Workers added by hand (issue 18 part 2: "Workers whose card is on order (no card yet) can be added
 * by hand with their employer, as the rules allow"): one row per worker and range of days, checked
 * field by field before any SQL runs.
 */
import { isValidOrgNumber } from '../../codec/checkDigits.js';
import type { SqlQueryable } from '../store/db.js';
import type { Company, SiteConfig } from './config.js';
import { needObject } from '../../codec/guard.js';
import { SiteError, isCalendarDay, needDbAndSite } from './errors.js';

export interface ManualWorker {
  name: string;
  /** YYYY-MM-DD */
  birthDate: string;
  employer: Company;
  hiringCompany?: Company;
  /** First and last day (YYYY-MM-DD, Oslo) the worker is on the list. */
  from: string;
  to: string;
}

function bad(field: string, message: string): never {
  throw new SiteError('BAD_WORKER', `${field}: ${message}`, { field });
}

function checkText(field: string, v: unknown): void {
  if (typeof v !== 'string' || v.trim() === '' || v.length > 200 || /[\u0000-\u001f\u007f]/.test(v)) bad(field, 'expected text of 1..200 characters without control characters');
}

function checkCompany(field: string, c: unknown): void {
  if (typeof c !== 'object' || c === null) bad(field, 'expected {name, orgNumber}');
  const { name, orgNumber } = c as Record<string, unknown>;
  checkText(`${field}.name`, name);
  if (typeof orgNumber !== 'string' || !isValidOrgNumber(orgNumber)) bad(`${field}.orgNumber`, `expected an organisation number (9 digits, mod-11 check digit), got ${JSON.stringify(orgNumber)}`);
}

/** Throws SiteError BAD_WORKER naming the first wrong field. */
export function checkManualWorker(w: ManualWorker): void {
  checkText('name', w.name);
  if (!isCalendarDay(w.birthDate)) bad('birthDate', `expected a date YYYY-MM-DD, got ${JSON.stringify(w.birthDate)}`);
  checkCompany('employer', w.employer);
  if (w.hiringCompany !== undefined) checkCompany('hiringCompany', w.hiringCompany);
  if (!isCalendarDay(w.from)) bad('from', `expected a date YYYY-MM-DD, got ${JSON.stringify(w.from)}`);
  if (!isCalendarDay(w.to)) bad('to', `expected a date YYYY-MM-DD, got ${JSON.stringify(w.to)}`);
  if (w.to < w.from) bad('to', `${w.to} is before ${w.from}`);
}

/** Adds `w` to the list of `cfg`'s site; returns the row's id. */
export async function addManualWorker(db: SqlQueryable, cfg: SiteConfig, w: ManualWorker): Promise<number> {
  needDbAndSite('addManualWorker', db, cfg);
  needObject('addManualWorker', 'worker', w);
  checkManualWorker(w);
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO site_workers_manual (site_id, name, birth_date, org_number, org_name, hiring_name, hiring_org_number, from_day, to_day)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date) RETURNING id`,
    [cfg.siteId, w.name, w.birthDate, w.employer.orgNumber, w.employer.name, w.hiringCompany?.name ?? null, w.hiringCompany?.orgNumber ?? null, w.from, w.to],
  );
  return rows[0].id;
}
