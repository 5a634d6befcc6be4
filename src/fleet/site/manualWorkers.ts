/**
 * Workers added by hand (issue 18 part 2: "Workers whose card is on order (no card yet) can be added
 * by hand with their employer, as the rules allow"): one row per worker and range of days, checked
 * field by field before any SQL runs; listed, ended or deleted by id, always within one site.
 *
 * Ending a range never reaches into the past: the list of a day gone by is a record (§ 15 lists are
 * shown on request afterwards), so the new last day is yesterday (Oslo) at the earliest. Deleting
 * is for a row added by mistake, and says what it deleted.
 */
import { dayText, osloDayIntl } from '../../codec/osloCalendar.js';
import { isValidOrgNumber } from '../../codec/checkDigits.js';
import type { SqlQueryable } from '../store/db.js';
import type { Company, SiteConfig } from './config.js';
import { needInstant, needInteger, needObject } from '../../codec/guard.js';
import { SiteError, isCalendarDay, needDay, needDbAndSite } from './errors.js';

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

/** A worker added by hand as stored: its id (what `site remove-worker --id` takes) and when it was added. */
export interface ManualWorkerRow extends ManualWorker {
  id: number;
  /** ISO 8601, UTC. */
  addedAt: string;
}

interface Row {
  id: number;
  name: string;
  birth_date: string;
  org_number: string;
  org_name: string;
  hiring_name: string | null;
  hiring_org_number: string | null;
  from_day: string;
  to_day: string;
  added_at: Date | string;
}

const COLUMNS = `id::integer AS id, name, birth_date, org_number, org_name, hiring_name, hiring_org_number,
  from_day::text AS from_day, to_day::text AS to_day, added_at`;

function fromRow(r: Row): ManualWorkerRow {
  return {
    id: r.id,
    name: r.name,
    birthDate: r.birth_date,
    employer: { name: r.org_name, orgNumber: r.org_number },
    ...(r.hiring_name !== null && r.hiring_org_number !== null ? { hiringCompany: { name: r.hiring_name, orgNumber: r.hiring_org_number } } : {}),
    from: r.from_day,
    to: r.to_day,
    addedAt: new Date(r.added_at).toISOString(),
  };
}

/** The workers added by hand at `cfg`'s site, by first day, then id. */
export async function listManualWorkers(db: SqlQueryable, cfg: SiteConfig): Promise<ManualWorkerRow[]> {
  needDbAndSite('listManualWorkers', db, cfg);
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM site_workers_manual WHERE site_id = $1 ORDER BY from_day, id`, [cfg.siteId]);
  return rows.map(fromRow);
}

/** The rows of site `siteId` whose range holds the day `date`, by id (for the daily list: dailyList.ts). */
export async function manualWorkersOn(db: SqlQueryable, siteId: string, date: string): Promise<ManualWorkerRow[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM site_workers_manual WHERE site_id = $1 AND from_day <= $2::date AND to_day >= $2::date ORDER BY id`, [siteId, date]);
  return rows.map(fromRow);
}

function noWorker(cfg: SiteConfig, id: number): SiteError {
  return new SiteError('NO_WORKER', `no worker ${id} at site ${cfg.siteId} (hmskort site workers lists them)`, { field: 'id' });
}

async function one(db: SqlQueryable, cfg: SiteConfig, id: number): Promise<ManualWorkerRow> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM site_workers_manual WHERE id = $1 AND site_id = $2`, [id, cfg.siteId]);
  if (rows.length === 0) throw noWorker(cfg, id);
  return fromRow(rows[0]);
}

/**
 * Ends the range of worker `id` of `cfg`'s site on `to` (the new last day, YYYY-MM-DD). `to` is not
 * before yesterday in Oslo at `now` (past days' lists stay as they were), not before the first day
 * (a range of no day is a deletion: deleteManualWorker) and not after the present last day (this
 * ends a range; it does not extend it). Returns the row as it is now.
 */
export async function endManualWorker(db: SqlQueryable, cfg: SiteConfig, id: number, to: string, now: Date): Promise<ManualWorkerRow> {
  needDbAndSite('endManualWorker', db, cfg);
  needInteger('endManualWorker', 'id', id, 1, Number.MAX_SAFE_INTEGER);
  needDay(to, 'to');
  needInstant('endManualWorker', 'now', now);
  const w = await one(db, cfg, id);
  // Yesterday in Oslo at `now` (the IANA data through Intl, as site prune's "today").
  const yesterday = dayText(osloDayIntl(now.getTime()) - 1);
  if (to < yesterday) bad('to', `${to} is in the past: the lists of past days are records and stay as they were; end the range on ${yesterday} (yesterday in Oslo) or later, or --delete a row added by mistake`);
  if (to < w.from) bad('to', `${to} is before worker ${id}'s first day ${w.from}: a range of no day is a deletion (--delete)`);
  if (to > w.to) bad('to', `${to} is after worker ${id}'s last day ${w.to}: remove-worker ends a range, it does not extend it`);
  const updated = await db.query<Row>(`UPDATE site_workers_manual SET to_day = $3::date WHERE id = $1 AND site_id = $2 RETURNING ${COLUMNS}`, [id, cfg.siteId, to]);
  if (updated.rows.length === 0) throw noWorker(cfg, id); // deleted meanwhile
  return fromRow(updated.rows[0]);
}

/** Deletes worker `id` of `cfg`'s site (a row added by mistake); returns what was deleted. */
export async function deleteManualWorker(db: SqlQueryable, cfg: SiteConfig, id: number): Promise<ManualWorkerRow> {
  needDbAndSite('deleteManualWorker', db, cfg);
  needInteger('deleteManualWorker', 'id', id, 1, Number.MAX_SAFE_INTEGER);
  const { rows } = await db.query<Row>(`DELETE FROM site_workers_manual WHERE id = $1 AND site_id = $2 RETURNING ${COLUMNS}`, [id, cfg.siteId]);
  if (rows.length === 0) throw noWorker(cfg, id);
  return fromRow(rows[0]);
}
