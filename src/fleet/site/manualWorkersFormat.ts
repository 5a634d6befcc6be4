/**
 * The workers added by hand at a site (`hmskort site workers`) as CSV, JSON or text, the way the
 * daily list is written (src/fleet/site/format.ts): CSV per RFC 4180 with a header record, CRLF,
 * UTF-8; JSON as listManualWorkers returns the rows.
 */
import { needArray } from '../../codec/guard.js';
import { csvText } from './format.js';
import type { ManualWorkerRow } from './manualWorkers.js';

export const WORKER_CSV_COLUMNS = [
  'id', 'site_id', 'name', 'birth_date', 'employer_name', 'employer_org_number',
  'hiring_company_name', 'hiring_company_org_number', 'from', 'to', 'added_at',
] as const;

export function manualWorkersCsv(siteId: string, rows: readonly ManualWorkerRow[]): string {
  needArray('manualWorkersCsv', 'rows', rows);
  const records = rows.map((w) => [
    String(w.id), siteId, w.name, w.birthDate, w.employer.name, w.employer.orgNumber,
    w.hiringCompany?.name ?? '', w.hiringCompany?.orgNumber ?? '', w.from, w.to, w.addedAt,
  ]);
  return csvText([WORKER_CSV_COLUMNS, ...records]);
}

export function manualWorkersJson(siteId: string, rows: readonly ManualWorkerRow[]): string {
  needArray('manualWorkersJson', 'rows', rows);
  return JSON.stringify({ siteId, workers: rows }, null, 2) + '\n';
}

/** One line per worker, for a terminal and for what remove-worker prints. */
export function manualWorkerLine(w: ManualWorkerRow): string {
  const hired = w.hiringCompany ? `, hired by ${w.hiringCompany.name} (${w.hiringCompany.orgNumber})` : '';
  return `#${w.id} ${w.name}, born ${w.birthDate}, ${w.employer.name} (${w.employer.orgNumber})${hired}, ${w.from}..${w.to}`;
}

export function manualWorkersText(siteId: string, rows: readonly ManualWorkerRow[]): string {
  needArray('manualWorkersText', 'rows', rows);
  return [`${rows.length} worker(s) added by hand at ${siteId}`, ...rows.map((w) => `  ${manualWorkerLine(w)}`)].join('\n') + '\n';
}
