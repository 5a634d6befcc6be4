/**
 * Order files of a production batch: CSV with a header naming holder fields (spec section 1).
 * Every row is validated before any card is touched, so a batch never stops half-way on a typo.
 */
import { parse } from 'csv-parse/sync';
import { HmskError } from '../codec/errors.js';
import { validateHolder, type ValidHolder } from '../codec/holder.js';
import { printable, quoteExcerpt } from '../codec/printable.js';
import type { ErrorKind } from '../codec/errors.js';

/**
 * Columns of an order file. `orderId` is optional (default: the row's line number); so are `issue`
 * and `photo` (the holder's JPEG or PNG, a path relative to the CSV file, for printed cards).
 */
export const ORDER_COLUMNS = ['category', 'cardNumber', 'orgNumber', 'orgName', 'givenName', 'familyName', 'birthDate', 'gender', 'expiry', 'issue', 'photo'] as const;
const REQUIRED = ORDER_COLUMNS.filter((c) => c !== 'issue' && c !== 'photo');

/** The order file itself is unusable (bad CSV, wrong header): bad input data. */
export class OrdersError extends Error {
  override readonly name = 'OrdersError';
  readonly code = 'ORDERS_FORMAT';
  get kind(): ErrorKind {
    return 'data';
  }
}

export interface Order {
  /** 0-based position among the valid orders: the journal's key. */
  index: number;
  /** 1-based line of the CSV file the row starts on. */
  line: number;
  id: string;
  holder: ValidHolder;
  /** The photo file as the checker resolved it (absolute), when the row names one. */
  photo?: string;
}

/** Checks a row's photo (exists, decodes): the resolved path, or the problem. */
export type PhotoCheck = (photo: string) => { path: string } | { code: string; message: string };

export interface OrderProblem {
  line: number;
  id?: string;
  code: string;
  field?: string;
  message: string;
}

export interface ParsedOrders {
  orders: Order[];
  problems: OrderProblem[];
}

/** Parses and validates every row; a header problem throws, row problems are collected. */
export function parseOrders(csvText: string, opts: { truncate?: boolean; checkPhoto?: PhotoCheck } = {}): ParsedOrders {
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(csvText, { columns: true, skip_empty_lines: true, bom: true, info: true, trim: false, relax_column_count: false });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new OrdersError(`orders: CSV ${err.lines ? `line ${err.lines}: ` : ''}${printable(err.message, 160)}`);
  }
  const header = rows.length > 0 ? Object.keys(rows[0].record) : csvText.split(/\r?\n/, 1)[0].split(',');
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new OrdersError(`orders: the header lacks column(s) ${missing.join(', ')} (line 1)`);
  const unknown = header.filter((c) => c !== 'orderId' && !(ORDER_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new OrdersError(`orders: unknown column(s) ${unknown.map((c) => quoteExcerpt(c, 40)).join(', ')} (line 1)`);

  const orders: Order[] = [];
  const problems: OrderProblem[] = [];
  const seenCards = new Map<string, number>();
  const seenIds = new Map<string, number>();
  for (const { record, info } of rows) {
    const line = info.lines - countNewlines(record) ;
    const id = record.orderId?.trim() || `line-${line}`;
    const input: Record<string, unknown> = { ...record };
    delete input.orderId;
    delete input.photo;
    if (record.issue === undefined || record.issue === '') delete input.issue;
    else input.issue = /^[0-9]+$/.test(record.issue) ? Number(record.issue) : record.issue;
    let holder: ValidHolder;
    try {
      holder = validateHolder(input, opts);
    } catch (e) {
      if (!(e instanceof HmskError)) throw e;
      problems.push({ line, id, code: e.code, field: e.where.field, message: printable(e.message, 200) });
      continue;
    }
    // One card number and issue is one physical card: two rows for it would make two cards.
    const key = `${holder.cardNumber}/${holder.issue}`;
    if (seenCards.has(key)) {
      problems.push({ line, id, code: 'DUPLICATE', field: 'cardNumber', message: `card ${holder.cardNumber} issue ${holder.issue} is also ordered on line ${seenCards.get(key)}` });
      continue;
    }
    if (seenIds.has(id)) {
      problems.push({ line, id, code: 'DUPLICATE', field: 'orderId', message: `order id ${quoteExcerpt(id, 40)} is also used on line ${seenIds.get(id)}` });
      continue;
    }
    let photo: string | undefined;
    if (record.photo !== undefined && record.photo !== '') {
      const checked = opts.checkPhoto?.(record.photo) ?? { path: record.photo };
      if (!('path' in checked)) {
        problems.push({ line, id, code: checked.code, field: 'photo', message: printable(checked.message, 200) });
        continue;
      }
      photo = checked.path;
    }
    seenCards.set(key, line);
    seenIds.set(id, line);
    orders.push({ index: orders.length, line, id, holder, ...(photo !== undefined ? { photo } : {}) });
  }
  return { orders, problems };
}

/** csv-parse's `info.lines` is the line a record ends on; a quoted field may span lines. */
function countNewlines(record: Record<string, string>): number {
  let n = 0;
  for (const v of Object.values(record)) for (const ch of v) if (ch === '\n') n++;
  return n;
}
