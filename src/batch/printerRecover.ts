/**
 * Before the first blank of a printer batch: where did the last run leave its card? The journal
 * says which step a card reached; the printer says whether a card is still inside (its status
 * position, Evolis `Rlr;p`). The rules (docs/production-line.md, "Through a card printer"):
 *
 * - a card inside the printer is rejected: it never finished, so it can never be a good card. If
 *   an order was begun on it, that order goes to a new blank (its UID is journalled rejected);
 * - no card inside, an order journalled `print` (print and eject were under way): the printer
 *   finished the job on its own, the card is in the output tray: the order is `done`;
 * - no card inside, an order begun and not yet at `print`: the card was taken out by hand (a jam
 *   cleared): it is journalled rejected and the order goes to a new blank.
 */
import { toHex } from '../codec/hex.js';
import type { CardPrinter } from '../drivers/printer/types.js';
import type { CardReader } from '../transport/card.js';
import type { Journal } from './journal.js';
import type { Order } from './orders.js';
import type { ReaderPresence } from './printerCard.js';
import type { PrinterBatchEvent, PrinterBatchSummary } from './printerRun.js';
import { BatchStoppedError } from './run.js';

export interface RecoverContext {
  journal: Journal;
  printer: CardPrinter;
  reader: CardReader;
  presence: ReaderPresence;
  orders: readonly Order[];
  now: () => Date;
  signal?: AbortSignal;
  summary: PrinterBatchSummary;
  onEvent?: (e: PrinterBatchEvent) => void;
  /** Journals the rejection, then has the printer drop the card in the reject box. */
  reject: (order: Order | undefined, step: string, uid: string | undefined, error: Error) => Promise<void>;
  goneMs: number;
}

const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

/** Settles the card the last run left; returns the order index it found done, if any. */
export async function recoverPrinter(r: RecoverContext): Promise<number | undefined> {
  const { journal, printer, signal } = r;
  const st = await printer.status(signal);
  if (st.condition) throw new BatchStoppedError(`the printer reports ${JSON.stringify(st.condition)}: fix it (a card taken out by hand goes with the rejected ones) and run the batch again`);
  const pending = journal.state.pending;
  const order = pending ? r.orders.find((o) => o.index === pending.order) : undefined;
  if (st.position !== 'none') {
    let seen: string | undefined;
    if (st.position === 'contactless') {
      try {
        seen = toHex((await r.reader.waitForCard({ timeoutMs: 3_000, signal })).uid);
        r.presence.present = seen;
      } catch (e) {
        if (signal?.aborted) throw e;
      }
    }
    const last = journal.state.entries.at(-1);
    if (pending) {
      await r.reject(order, 'restart', pending.uid, coded('INTERRUPTED', `card ${pending.uid} was still in the printer (${st.position}) when the batch started again: it was interrupted ${pending.printing ? 'while printing' : 'before printing'}`));
    } else if (seen !== undefined && !journal.state.rejected.has(seen)) {
      // A blank taken in just before a kill, before its `begin` line: never an order's card.
      await r.reject(undefined, 'restart', seen, coded('INTERRUPTED', `card ${seen} was still in the printer when the batch started again, with no order on it`));
    } else if (seen === undefined && last?.t !== 'reject') {
      await r.reject(undefined, 'restart', undefined, coded('INTERRUPTED', `a card (${st.position}) was still in the printer when the batch started again, with no order on it`));
    } else {
      // Its `reject` line is already written (killed before the printer dropped it): drop it now.
      await printer.reject(signal).catch((e: unknown) => {
        throw new BatchStoppedError(`the card left in the printer could not be dropped in the reject box: ${(e as Error).message}. Clear the printer, keep that card with the rejected ones, and run the batch again.`, { cause: e });
      });
    }
    return undefined;
  }
  if (!pending || !order) return undefined;
  if (pending.printing) {
    const p = [...journal.state.entries].reverse().find((e) => e.t === 'print' && e.order === pending.order && e.uid === pending.uid);
    const ms = p?.t === 'print' ? p.ms : 0;
    const operations = p?.t === 'print' ? p.operations : 0;
    journal.append({ t: 'done', order: order.index, id: order.id, cardNumber: order.holder.cardNumber, uid: pending.uid, at: r.now().toISOString(), ms, operations });
    r.summary.good++;
    r.onEvent?.({ type: 'good', order, uid: pending.uid, ms, operations, recovered: true });
    return order.index;
  }
  // Not in the printer and never printed: someone took it out. It must not count as a good card.
  journal.append({ t: 'reject', order: order.index, id: order.id, uid: pending.uid, step: 'restart', code: 'CARD_GONE', message: `card ${pending.uid} is no longer in the printer and was never printed: taken out by hand while the batch was stopped; keep it with the rejected cards`, at: r.now().toISOString() });
  r.summary.rejected++;
  r.onEvent?.({ type: 'rejected', order, uid: pending.uid, step: 'restart', reason: 'no longer in the printer' });
  return undefined;
}
