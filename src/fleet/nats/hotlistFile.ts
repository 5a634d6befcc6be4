/**
 * The entries of a hot-list file for the publisher (issue 17 part 5: "CSV or JSON, as `hmskort
 * gate --hotlist` reads"): the same columns/keys and rules as src/hotlist (cardNumber, status,
 * minIssue; header optional; `#` comments; `,` or `;`), plus an optional `expiry` (YYYY-MM-DD) the
 * feed carries so gates can prune expired cards. Without it an entry never expires (9999-12-31).
 * The gate's reader builds a lookup table only, without the statuses the feed needs, so the file is
 * read here with csv-parse (CSV) and JSON.parse; errors are GateConfigError HOTLIST_FORMAT with
 * file and line, as the gate's.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { GateConfigError } from '../../gate/errors.js';
import type { FeedEntry } from '../contracts.js';
import type { HotlistStatus } from '../../codec/hotlistEntry.js';
import { cardKey } from './entryCodec.js';
import { feedEntryProblem } from '../feedEntry.js';

export const NO_EXPIRY = '9999-12-31';
const COLUMNS = ['cardnumber', 'status', 'minissue', 'expiry'];

/** Reads and checks a hot-list file; one entry per card (several lines for one card: the highest minIssue wins, as in the gate's table). */
export async function readHotlistEntries(path: string): Promise<Map<string, FeedEntry>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new GateConfigError('FILE_UNREADABLE', `${path}: ${(e as Error).message}`, { file: path, cause: e });
  }
  if (bytes.length === 0) throw new GateConfigError('HOTLIST_FORMAT', `${path}: the file is empty (0 bytes); an empty hot list is the header line "cardNumber,status" (CSV) or [] (JSON)`, { file: path });
  const text = bytes.toString('utf8');
  const isJson = path.toLowerCase().endsWith('.json') || (!/\.(csv|txt)$/i.test(path) && text.trimStart().startsWith('['));
  const rows = isJson ? jsonRows(text, path) : csvRows(text, path);
  const out = new Map<string, FeedEntry>();
  for (const { line, raw } of rows) {
    const entry = { cardNumber: raw.cardNumber, status: raw.status as HotlistStatus, minIssue: raw.minIssue, expiry: raw.expiry ?? NO_EXPIRY } as FeedEntry;
    if (entry.minIssue === undefined) delete entry.minIssue;
    const problem = feedEntryProblem(entry);
    if (problem) throw new GateConfigError('HOTLIST_FORMAT', `${path}:${line}: ${problem}`, { file: path, line });
    entry.cardNumber = cardKey(String(entry.cardNumber));
    const had = out.get(entry.cardNumber);
    if (!had || (had.minIssue !== undefined && (entry.minIssue === undefined || entry.minIssue > had.minIssue))) out.set(entry.cardNumber, entry);
  }
  return out;
}

interface Row {
  line: number;
  raw: { cardNumber?: unknown; status?: unknown; minIssue?: unknown; expiry?: unknown };
}

function csvRows(text: string, file: string): Row[] {
  const firstLine = text.split('\n').find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, comment: '#', skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new GateConfigError('HOTLIST_FORMAT', `${file}: ${(e as Error).message}`, { file, cause: e });
  }
  let cols = ['cardnumber', 'status', 'minissue', 'expiry'];
  const rows: Row[] = [];
  records.forEach(({ record, info }, i) => {
    if (i === 0 && !/^[0-9]/.test(record[0] ?? '')) {
      cols = record.map((c) => c.toLowerCase());
      const bad = cols.find((c, k) => !COLUMNS.includes(c) || cols.indexOf(c) !== k);
      if (bad !== undefined || !cols.includes('cardnumber') || !cols.includes('status')) {
        throw new GateConfigError('HOTLIST_FORMAT', `${file}:${info.lines}: the header must name cardNumber and status, and may name minIssue and expiry (found ${record.join(',')})`, { file, line: info.lines });
      }
      return;
    }
    if (record.length < 2 || record.length > cols.length) throw new GateConfigError('HOTLIST_FORMAT', `${file}:${info.lines}: expected 2 to ${cols.length} fields, found ${record.length}`, { file, line: info.lines });
    const get = (name: string) => {
      const v = record[cols.indexOf(name)];
      return v === undefined || v === '' ? undefined : v;
    };
    const issue = get('minissue');
    rows.push({ line: info.lines, raw: { cardNumber: get('cardnumber'), status: get('status'), minIssue: issue === undefined ? undefined : /^[0-9]{1,3}$/.test(issue) ? Number(issue) : issue, expiry: get('expiry') } });
  });
  return rows;
}

function jsonRows(text: string, file: string): Row[] {
  let x: unknown;
  try {
    x = JSON.parse(text);
  } catch (e) {
    throw new GateConfigError('HOTLIST_FORMAT', `${file}: not JSON (${(e as Error).message})`, { file, cause: e });
  }
  if (!Array.isArray(x)) throw new GateConfigError('HOTLIST_FORMAT', `${file}: expected an array of entries`, { file });
  // JSON.parse keeps no line numbers: the entry's index stands in for the line (1-based).
  return x.map((o, i) => {
    const keys = o && typeof o === 'object' ? Object.keys(o) : [];
    const bad = keys.find((k) => !['cardNumber', 'status', 'minIssue', 'expiry'].includes(k));
    if (bad) throw new GateConfigError('HOTLIST_FORMAT', `${file}: entry ${i + 1}: unknown key ${JSON.stringify(bad)}`, { file, line: i + 1 });
    const r = (o ?? {}) as Row['raw'];
    return { line: i + 1, raw: { ...r, cardNumber: typeof r.cardNumber === 'number' ? String(r.cardNumber) : r.cardNumber } };
  });
}
