/**
 * The production loop through a card printer (issue 16 part 5). Per order: the printer takes a
 * blank to its contactless station; the reader inside it encodes and verifies the chip (chip.ts);
 * the printer writes the stripe and reads it back; it prints front and back and ejects. Any failed
 * step sends the card to the reject box and the order goes to the next blank.
 *
 * Journal (journal.ts, journalFormat.ts), one fsynced line per step, the same rules as the reader
 * batch: `begin` (UID) before the first write to the chip; `print` before the printer is told to
 * print and eject; `done` once it did; `reject` (UID, step, reason) before the printer is told to
 * reject, which releases the order to a new blank. A rejected UID never carries an order. Where a
 * kill left the card is settled by printerRecover.ts before the first blank.
 */
import { toHex } from '../codec/hex.js';
import type { CardPrinter, MonoPanel } from '../drivers/printer/types.js';
import type { CardReader, MifareClassicCard } from '../transport/card.js';
import { encodeAndVerify, isBlank, type BatchKeys } from './chip.js';
import { JournalError, type Journal } from './journal.js';
import type { Order } from './orders.js';
import { ReaderPresence, errorCode, errorText, writeAndVerifyStripe } from './printerCard.js';
import { recoverPrinter } from './printerRecover.js';
import { BatchStoppedError } from './run.js';

export interface CardFaces {
  front: MonoPanel;
  back?: MonoPanel;
}

export type PrinterBatchEvent =
  | { type: 'inserting'; order: Order }
  | { type: 'good'; order: Order; uid: string; ms: number; operations: number; recovered: boolean }
  | { type: 'rejected'; order?: Order; uid?: string; step: string; reason: string }
  | { type: 'skipped'; order: Order };

export interface PrinterBatchOptions {
  orders: readonly Order[];
  printer: CardPrinter;
  /** The PC/SC reader inside the printer: it sees a chip only at the contactless station. */
  reader: CardReader;
  keys: BatchKeys;
  journal: Journal;
  /** The panels of an order's card (rendered before its blank is taken). */
  faces: (order: Order) => Promise<CardFaces>;
  onEvent?: (e: PrinterBatchEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
  /** How long the chip may take to answer at the contactless station; default CHIP_TIMEOUT_MS. */
  chipTimeoutMs?: number;
  /** How long the reader may take to notice a card left; default GONE_TIMEOUT_MS. */
  goneTimeoutMs?: number;
  /** Cards rejected in a row for one order before the batch stops; default REJECTS_PER_ORDER. */
  maxRejects?: number;
  /** The blanks' stripe: 'high' (HiCo, the default) or 'low' coercivity (Pmc, A5013 p.50). */
  coercivity?: 'high' | 'low';
}

export interface PrinterBatchSummary {
  total: number;
  /** Cards finished good in this run. */
  good: number;
  alreadyDone: number;
  /** Cards sent to the reject box in this run. */
  rejected: number;
  ms: number;
}

export const CHIP_TIMEOUT_MS = 5_000;
export const GONE_TIMEOUT_MS = 10_000;
/** Five bad blanks in a row for one order is no longer bad luck: a systematic fault, stop. */
export const REJECTS_PER_ORDER = 5;

/** One turn of the event loop, so a loop of in-memory rejections lets a SIGINT handler run. */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** A step of a card failed: the card goes to the reject box. */
class CardRejected extends Error {
  constructor(
    readonly step: string,
    readonly uid: string | undefined,
    readonly error: unknown,
  ) {
    super(errorText(error));
  }
}

export async function runPrinterBatch(opts: PrinterBatchOptions): Promise<PrinterBatchSummary> {
  const { journal, printer, reader, keys, signal } = opts;
  const now = opts.now ?? (() => new Date());
  const t0 = performance.now();
  const summary: PrinterBatchSummary = { total: opts.orders.length, good: 0, alreadyDone: 0, rejected: 0, ms: 0 };
  const presence = new ReaderPresence(reader);
  const goneMs = opts.goneTimeoutMs ?? GONE_TIMEOUT_MS;
  const notGone = (uid: string) => new BatchStoppedError(`card ${uid} left the contactless station but ${reader.name} still sees it after ${goneMs / 1000} s: is it the reader inside the printer?`);

  const reject = async (order: Order | undefined, step: string, uid: string | undefined, error: unknown): Promise<void> => {
    journal.append({ t: 'reject', order: order?.index, id: order?.id, uid, step, code: errorCode(error), message: errorText(error), at: now().toISOString() });
    summary.rejected++;
    opts.onEvent?.({ type: 'rejected', order, uid, step, reason: errorText(error) });
    try {
      await printer.reject(signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new BatchStoppedError(`card ${uid ?? '(no chip read)'} could not be dropped in the reject box: ${errorText(e)}. Clear the printer, keep that card with the rejected ones, and run the batch again.`, { cause: e });
    }
    await presence.waitGone(goneMs, notGone, signal);
  };

  // UIDs that carry (or began to carry) an order: never taken for another order.
  const uidOrder = new Map<string, number>();
  for (const e of journal.state.entries) if (e.t === 'begin' || e.t === 'done') uidOrder.set(e.uid, e.order);

  /** One blank for `order`: true when it left the printer good, false when it was rejected. */
  const oneCard = async (order: Order, faces: CardFaces): Promise<boolean> => {
    opts.onEvent?.({ type: 'inserting', order });
    await presence.waitGone(goneMs, notGone, signal);
    let uid: string | undefined;
    try {
      try {
        await printer.insertToContactless(signal);
      } catch (e) {
        if (signal?.aborted) throw e;
        // No card came in (FEEDER EMPTY...): nothing to reject; the operator acts, the batch resumes.
        const st = await printer.status(signal).catch(() => undefined);
        if (!st || st.position === 'none') throw new BatchStoppedError(`order ${order.id} (line ${order.line}): the printer did not take a blank: ${errorText(e)}. Load blanks (or clear the printer) and run the batch again.`, { cause: e });
        throw new CardRejected('insert', undefined, e);
      }
      let card: MifareClassicCard;
      try {
        card = await reader.waitForCard({ timeoutMs: opts.chipTimeoutMs ?? CHIP_TIMEOUT_MS, signal });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new CardRejected('chip', undefined, Object.assign(new Error(`no chip answered at the contactless station (${errorText(e)})`), { code: 'NO_CHIP' }));
      }
      uid = toHex(card.uid);
      presence.present = uid;
      if (journal.state.rejected.has(uid)) throw new CardRejected('check', uid, Object.assign(new Error(`card ${uid} was rejected before`), { code: 'CARD_REJECTED_BEFORE' }));
      const other = uidOrder.get(uid);
      // Refused untouched; a finished card stays its order's good card: take it out of the reject box.
      if (other !== undefined) throw new CardRejected('check', uid, Object.assign(new Error(`card ${uid} already carries order #${other + 1}: refused untouched${journal.state.done.get(other) === uid ? '; it is that order\'s good card, take it out of the reject box' : ''}`), { code: 'CARD_IN_USE' }));
      const blank = await isBlank(card).catch((e: unknown) => {
        throw new CardRejected('chip', uid, e);
      });
      if (!blank) throw new CardRejected('check', uid, Object.assign(new Error(`card ${uid} is not blank`), { code: 'NOT_BLANK' }));
      journal.append({ t: 'begin', order: order.index, id: order.id, cardNumber: order.holder.cardNumber, uid, at: now().toISOString() });
      uidOrder.set(uid, order.index);
      const report = await encodeAndVerify(card, uid, order, keys).catch((e: unknown) => {
        throw new CardRejected('chip', uid, e);
      });
      await writeAndVerifyStripe(printer, order.holder, signal, opts.coercivity).catch((e: unknown) => {
        throw new CardRejected('stripe', uid, e);
      });
      const ms = Math.round(report.ms);
      journal.append({ t: 'print', order: order.index, id: order.id, uid, at: now().toISOString(), ms, operations: report.operations });
      await printer.printAndEject(faces.front, faces.back, signal).catch((e: unknown) => {
        throw new CardRejected('print', uid, e);
      });
      journal.append({ t: 'done', order: order.index, id: order.id, cardNumber: order.holder.cardNumber, uid, at: now().toISOString(), ms, operations: report.operations });
      summary.good++;
      opts.onEvent?.({ type: 'good', order, uid, ms, operations: report.operations, recovered: false });
      await presence.waitGone(goneMs, notGone, signal);
      return true;
    } catch (e) {
      if (signal?.aborted) throw e instanceof CardRejected ? e.error : e;
      if (!(e instanceof CardRejected)) throw e;
      // The journal itself failed: journalling the rejection would fail too.
      if (e.error instanceof JournalError) throw e.error;
      await reject(order, e.step, e.uid, e.error);
      return false;
    }
  };

  try {
    const recovered = await recoverPrinter({ journal, printer, reader, presence, orders: opts.orders, now, signal, summary, onEvent: opts.onEvent, reject, goneMs });
    for (const order of opts.orders) {
      if (order.index === recovered) continue;
      if (journal.state.done.has(order.index)) {
        summary.alreadyDone++;
        opts.onEvent?.({ type: 'skipped', order });
        continue;
      }
      const faces = await opts.faces(order);
      for (let rejects = 0; ; ) {
        await yieldToEventLoop();
        signal?.throwIfAborted();
        if (await oneCard(order, faces)) break;
        if (++rejects >= (opts.maxRejects ?? REJECTS_PER_ORDER)) {
          throw new BatchStoppedError(`order ${order.id} (line ${order.line}): ${rejects} cards rejected in a row (the journal says why). Check the blanks, the ribbon and the printer, and run the batch again.`);
        }
      }
    }
  } finally {
    presence.dispose();
  }
  summary.ms = performance.now() - t0;
  return summary;
}
