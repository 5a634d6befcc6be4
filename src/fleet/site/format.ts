/**
 * The daily list as CSV, JSON or text for a terminal. CSV is RFC 4180: fields separated by commas,
 * records by CRLF, a field holding a comma, a double quote, CR or LF enclosed in double quotes with
 * its quotes doubled (RFC 4180 section 2 rules 4-7); one header record. Every record repeats the
 * site's facts (§ 15 (a), (b)) so each row stands alone. Tap times are Oslo wall clock with the
 * offset (2026-03-29T09:15:00+02:00), the way an inspector on site reads them.
 */
import { osloOffsetIntl } from '../../codec/osloCalendar.js';
import { needArray, needObject } from '../../codec/guard.js';
import type { DailyList, ListWorker } from './dailyList.js';

/** Oslo local time of the instant `isoUtc` with its UTC offset, to the second. */
export function osloLocal(isoUtc: string): string {
  const ms = Date.parse(isoUtc);
  const off = osloOffsetIntl(ms);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + off).toISOString().slice(0, 19);
  const h = Math.floor(Math.abs(off) / 3_600_000);
  const m = Math.floor((Math.abs(off) % 3_600_000) / 60_000);
  return `${wall}${off < 0 ? '-' : '+'}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export const CSV_COLUMNS = [
  'date', 'site_id', 'site_name', 'site_address', 'byggherre_name', 'byggherre_org_number',
  'name', 'name_missing', 'birth_date', 'employer_name', 'employer_org_number',
  'hiring_company_name', 'hiring_company_org_number', 'hms_card_number', 'category',
  'first_tap', 'last_tap', 'taps', 'source', 'manual_id',
] as const;

function needList(fn: string, l: unknown): void {
  needObject(fn, 'list', l);
  needArray(fn, 'list.workers', (l as { workers?: unknown }).workers);
}

/** One field quoted when RFC 4180 requires it. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Records (the header first) as RFC 4180 text: fields quoted when needed, CRLF after each record. */
export function csvText(records: readonly (readonly string[])[]): string {
  return records.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

function record(l: DailyList, w: ListWorker): string[] {
  return [
    l.date, l.site.id, l.site.name, l.site.address, l.byggherre.name, l.byggherre.orgNumber,
    w.name ?? '', w.nameMissing ? 'yes' : 'no', w.birthDate ?? '', w.employer.name ?? '', w.employer.orgNumber ?? '',
    w.hiringCompany?.name ?? '', w.hiringCompany?.orgNumber ?? '', w.cardNumber ?? '', w.category ?? '',
    w.firstTap ? osloLocal(w.firstTap) : '', w.lastTap ? osloLocal(w.lastTap) : '', String(w.taps), w.source, w.manualId === null ? '' : String(w.manualId),
  ];
}

export function listCsv(l: DailyList): string {
  needList('listCsv', l);
  return csvText([CSV_COLUMNS, ...l.workers.map((w) => record(l, w))]);
}

/** JSON: the list as dailyList returns it, tap times in UTC and in Oslo time. */
export function listJson(l: DailyList): string {
  needList('listJson', l);
  const workers = l.workers.map((w) => ({ ...w, firstTapOslo: w.firstTap ? osloLocal(w.firstTap) : null, lastTapOslo: w.lastTap ? osloLocal(w.lastTap) : null }));
  return JSON.stringify({ ...l, workers }, null, 2) + '\n';
}

/** Text for a terminal: the site's facts, then one line per worker. */
export function listText(l: DailyList): string {
  const lines = [
    `Daily list ${l.date}: ${l.site.name} (${l.site.id}), ${l.site.address}`,
    `Byggherre: ${l.byggherre.name}, org. ${l.byggherre.orgNumber}`,
    `${l.workers.length} worker(s)`,
  ];
  for (const w of l.workers) {
    const name = w.name ?? '(name missing: no tap has carried it yet)';
    const card = w.cardNumber === null ? `card on order (added by hand, #${w.manualId})` : `card ${w.cardNumber}${w.manualId === null ? '' : ` (replaces #${w.manualId} added by hand)`}`;
    const hired = w.hiringCompany ? `, hired by ${w.hiringCompany.name} (${w.hiringCompany.orgNumber})` : '';
    const when = w.firstTap && w.lastTap ? `, ${osloLocal(w.firstTap).slice(11, 16)}-${osloLocal(w.lastTap).slice(11, 16)}` : '';
    lines.push(`  ${name}, born ${w.birthDate ?? '?'}, ${w.employer.name ?? '?'} (${w.employer.orgNumber ?? '?'})${hired}, ${card}${w.category ? ` [${w.category}]` : ''}${when}`);
  }
  return lines.join('\n') + '\n';
}
