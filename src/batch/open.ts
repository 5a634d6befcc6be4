/**
 * Opening a production batch: the order file read and validated (spec section 1), then its journal
 * opened against it (journal.ts). The rules a batch obeys before its first card:
 *
 * - every order is validated first; any bad row stops the batch before a card (or the journal) is
 *   touched, unless the caller skips invalid rows, which are then journalled once each as `skip`;
 * - a journal is bound to one order file by the sha256 of its text, in its header (line 1); a
 *   journal whose header names another order file is refused, and left exactly as it was;
 * - a journal that is locked or has a damaged line is refused by Journal.open (JournalError);
 * - what is already done, and the order begun on a card and not finished, is the resume point.
 *
 * The orders are read before the keys and the journal are opened (two steps, readBatchOrders then
 * openBatchJournal), so a bad order file never creates a journal file; openBatch does both.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ErrorKind } from '../codec/errors.js';
import { Journal, header, type JournalFs } from './journal.js';
import type { Repair } from './journal.js';
import type { JournalLock } from './lock.js';
import { argumentError } from '../codec/guard.js';
import { parseOrders, type Order, type OrderProblem } from './orders.js';
import { photoChecker } from './orderPhotos.js';

/** Codes of BatchRefusedError. */
export type BatchRefusalCode =
  /** Rows of the order file do not validate and invalid rows are not skipped: nothing is encoded. */
  | 'INVALID_ORDERS'
  /** The journal's header names another order file (another sha256): use a new journal. */
  | 'FOREIGN_JOURNAL';

/** The batch will not start; nothing was written to a card or to the journal. Bad input: exit 3. */
export class BatchRefusedError extends Error {
  override readonly name = 'BatchRefusedError';
  get kind(): ErrorKind {
    return 'data';
  }
  constructor(
    readonly code: BatchRefusalCode,
    message: string,
    readonly details: { problems?: readonly OrderProblem[]; journal?: string; journalSha256?: string; ordersSha256?: string },
  ) {
    super(message);
  }
}

/** The order file of a batch, validated. */
export interface BatchOrders {
  /** The valid orders, `index` 0.. in file order: the journal's keys. */
  orders: Order[];
  /** The rows that do not validate (empty unless invalid rows are skipped). */
  problems: OrderProblem[];
  /** sha256 (hex) of the order file's text: what binds a journal to it. */
  ordersSha256: string;
}

export interface ReadOrdersOptions {
  /** Shorten over-long text fields instead of refusing them (spec section 1). */
  truncate?: boolean;
  /** Go on without the invalid rows (journalled as `skip`) instead of refusing the batch. */
  skipInvalid?: boolean;
  /** The order file's directory: `photo` paths are relative to it, checked to exist and decode. */
  photoDir?: string;
}

/** Parses and validates the order file; throws BatchRefusedError INVALID_ORDERS unless skipInvalid. */
export function readBatchOrders(ordersText: string, opts: ReadOrdersOptions = {}): BatchOrders {
  const ordersSha256 = createHash('sha256').update(ordersText).digest('hex');
  const { orders, problems } = parseOrders(ordersText, { truncate: opts.truncate, checkPhoto: photoChecker(opts.photoDir ?? process.cwd()) });
  if (problems.length > 0 && !opts.skipInvalid) {
    throw new BatchRefusedError('INVALID_ORDERS', `${problems.length} invalid order(s) (first: line ${problems[0].line}, ${problems[0].code}); nothing encoded. Fix them or skip them.`, { problems, ordersSha256 });
  }
  return { orders, problems, ordersSha256 };
}

/** What opening the journal did, for the log; reported before any refusal. */
export type BatchNotice = { kind: 'lock'; takeover: NonNullable<JournalLock['tookOver']> } | { kind: 'repaired'; repair: Exclude<Repair, { kind: 'none' }> };

export interface OpenJournalOptions {
  now?: () => Date;
  /** The file calls of the journal (a test injects ENOSPC or EIO). */
  fs?: JournalFs;
  onNotice?: (n: BatchNotice) => void;
}

/** An opened batch: its orders, its journal (locked, header written) and where it resumes. */
export interface OpenedBatch extends BatchOrders {
  journal: Journal;
  resume: {
    /** Orders the journal already has `done`. */
    done: number;
    /** The order begun on a card and not finished: it is finished on that card only. */
    pending?: { order: number; uid: string };
  };
}

/**
 * Opens (creating) the journal at `journalPath` for `batch`: refuses another order file's journal
 * (BatchRefusedError FOREIGN_JOURNAL, the file untouched), writes the header of a new one and a
 * `skip` line for each invalid row not yet journalled. Journal.open's JournalError (locked,
 * damaged) passes through. The caller closes `journal`.
 */
export function openBatchJournal(batch: BatchOrders, journalPath: string, opts: OpenJournalOptions = {}): OpenedBatch {
  const now = opts.now ?? (() => new Date());
  const journal = Journal.open(journalPath, { fs: opts.fs });
  try {
    if (journal.lock.tookOver) opts.onNotice?.({ kind: 'lock', takeover: journal.lock.tookOver });
    if (journal.repair.kind !== 'none') opts.onNotice?.({ kind: 'repaired', repair: journal.repair });
    const head = journal.state.header;
    if (head && head.ordersSha256 !== batch.ordersSha256) {
      throw new BatchRefusedError('FOREIGN_JOURNAL', `journal ${journalPath} belongs to another order file (sha256 ${head.ordersSha256}, this one ${batch.ordersSha256}); use a new journal`, { journal: journalPath, journalSha256: head.ordersSha256, ordersSha256: batch.ordersSha256 });
    }
    if (!head) journal.append(header(batch.orders.length, batch.ordersSha256, now()));
    for (const p of batch.problems) {
      if (!journal.state.entries.some((e) => e.t === 'skip' && e.line === p.line)) journal.append({ t: 'skip', line: p.line, id: p.id, code: p.code, message: p.message, at: now().toISOString() });
    }
    const { pending } = journal.state;
    return { ...batch, journal, resume: { done: journal.state.done.size, ...(pending ? { pending: { ...pending } } : {}) } };
  } catch (e) {
    journal.close();
    throw e;
  }
}

export interface OpenBatchOptions extends ReadOrdersOptions, OpenJournalOptions {
  /** The order file's text, or its path (read as UTF-8). */
  ordersText?: string;
  ordersPath?: string;
  journalPath: string;
}

/** readBatchOrders then openBatchJournal, for callers with nothing to do in between. */
export async function openBatch(opts: OpenBatchOptions): Promise<OpenedBatch> {
  const text = opts.ordersText ?? (opts.ordersPath !== undefined ? await readFile(opts.ordersPath, 'utf8') : undefined);
  if (text === undefined) throw argumentError('openBatch', 'opts', 'an object with ordersText or ordersPath', opts);
  return openBatchJournal(readBatchOrders(text, opts), opts.journalPath, opts);
}
