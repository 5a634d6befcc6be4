/**
 * The production loop: for each order, take a blank card, encode it (spec section 3), read it back
 * in full and verify it (section 5), run the extras (stripe, print), journal it, and wait for the
 * card to leave the reader. The journal's write-ahead rule (journal.ts) makes it crash-safe.
 */
import { toHex } from '../codec/hex.js';
import { EncodeError, type EncodeReport } from '../card/encoder.js';
import type { CardReader } from '../transport/card.js';
import { waitFor } from '../transport/wait.js';
import { encodeAndVerify, isBlank, type BatchKeys } from './chip.js';
import { JournalError, type Journal } from './journal.js';
import type { Order } from './orders.js';
import type { ErrorKind } from '../codec/errors.js';

export type { BatchKeys } from './chip.js';

export type BatchEvent =
  | { type: 'waiting'; order: Order; uid?: string; reason: string }
  | { type: 'refused'; order: Order; uid: string; reason: string }
  | { type: 'encoded'; order: Order; uid: string; report: EncodeReport; resumed: boolean }
  | { type: 'failed'; order: Order; uid: string; error: Error }
  | { type: 'skipped'; order: Order };

export interface BatchOptions {
  orders: readonly Order[];
  reader: CardReader & { eject?: () => void };
  keys: BatchKeys;
  journal: Journal;
  /** Stripe writing and printing for an encoded card; run before the order is journalled done. */
  extras?: (order: Order, uid: string) => Promise<void>;
  onEvent?: (e: BatchEvent) => void;
  signal?: AbortSignal;
  now?: () => Date;
  /** Default REMOVAL_TIMEOUT_MS. */
  removalTimeoutMs?: number;
  /** Cards refused in a row for one order before the batch stops; default REFUSALS_PER_ORDER. */
  maxRefusals?: number;
}

export interface BatchSummary {
  total: number;
  encoded: number;
  alreadyDone: number;
  failures: number;
  ms: number;
}

/** How long a finished or refused card may stay on a hand-fed reader before the batch stops. */
export const REMOVAL_TIMEOUT_MS = 10 * 60_000;

function waitForRemoval(reader: CardReader, uid: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  return waitFor<void>({
    what: `card ${uid} taken off the reader`,
    timeoutMs,
    signal,
    timeoutError: () => new BatchStoppedError(`card ${uid} was not taken off the reader within ${Math.round(timeoutMs / 1000)} s; take it off and run the batch again`),
    abortError: (reason) => reason ?? new Error('aborted'),
    subscribe: (resolve) => {
      const done = () => resolve();
      reader.on('removed', done);
      return () => reader.off('removed', done);
    },
  });
}

/**
 * One turn of the event loop. A virtual reader hands out cards without any I/O, so a loop of
 * refusals would otherwise run on microtasks alone and never let a SIGINT/SIGTERM handler run.
 */
const yieldToEventLoop = () => new Promise<void>((r) => setImmediate(r));

/** Tries on one card before the batch stops and asks for the card to be presented again. */
const TRIES_PER_CARD = 3;
/**
 * Cards refused in a row for one order before the batch stops. Issue 19 item 3: an order begun on
 * a card that has left the reader for good (a virtual card already in the tray) made an automatic
 * feeder hand out new cards for ever; every refusal now counts, and the count is bounded.
 */
export const REFUSALS_PER_ORDER = 5;

/** The batch stopped on a card it could not finish; the journal keeps the order pending. */
export class BatchStoppedError extends Error {
  override readonly name = 'BatchStoppedError';
  readonly code = 'BATCH_STOPPED';
  /** The batch ran and stopped on a card: a check failed (exit 1); the batch command says how to resume. */
  get kind(): ErrorKind {
    return 'failed';
  }
}

export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const { journal, reader, keys } = opts;
  const now = opts.now ?? (() => new Date());
  const t0 = performance.now();
  const summary: BatchSummary = { total: opts.orders.length, encoded: 0, alreadyDone: 0, failures: 0, ms: 0 };
  // UIDs that carry (or began to carry) an order: never accepted for another order.
  const uidOrder = new Map<string, number>();
  for (const e of journal.state.entries) if (e.t === 'begin' || e.t === 'done') uidOrder.set(e.uid, e.order);

  for (const order of opts.orders) {
    if (journal.state.done.has(order.index)) {
      summary.alreadyDone++;
      opts.onEvent?.({ type: 'skipped', order });
      continue;
    }
    let tries = 0;
    let refusals = 0;
    for (;;) {
      await yieldToEventLoop();
      opts.signal?.throwIfAborted();
      const pending = journal.state.pending?.order === order.index ? journal.state.pending.uid : undefined;
      opts.onEvent?.({ type: 'waiting', order, uid: pending, reason: pending ? `present card ${pending} again to finish order ${order.id}` : 'present a blank card' });
      const card = await reader.waitForCard({ signal: opts.signal });
      const uid = toHex(card.uid);
      const takeOff = async () => {
        if (reader.eject) reader.eject();
        else await waitForRemoval(reader, uid, opts.removalTimeoutMs ?? REMOVAL_TIMEOUT_MS, opts.signal);
      };
      const refuse = async (reason: string) => {
        opts.onEvent?.({ type: 'refused', order, uid, reason });
        await takeOff();
        if (++refusals >= (opts.maxRefusals ?? REFUSALS_PER_ORDER)) {
          const where = reader.eject ? `; a virtual card is in the stack's tray/ folder: move it back to field.json` : '';
          const want = pending ? `Present card ${pending} (it holds part of order ${order.id}${where})` : 'Present a blank card';
          throw new BatchStoppedError(`order ${order.id} (line ${order.line}): ${refusals} cards refused in a row, the last: ${reason}. ${want} and run the batch again.`);
        }
      };
      if (pending !== undefined && uid !== pending) {
        await refuse(`order ${order.id} was begun on card ${pending}; it is finished on that card only`);
        continue;
      }
      if (pending === undefined) {
        const other = uidOrder.get(uid);
        if (other !== undefined) {
          await refuse(`card ${uid} already carries order #${other + 1}`);
          continue;
        }
        let blank: boolean;
        try {
          blank = await isBlank(card);
        } catch (e) {
          if (opts.signal?.aborted) throw e;
          opts.onEvent?.({ type: 'failed', order, uid, error: e as Error });
          summary.failures++;
          // Nothing written, nothing journalled: try again, a bounded number of times.
          if (++tries >= TRIES_PER_CARD) throw new BatchStoppedError(`order ${order.id} (line ${order.line}): card ${uid} could not be read ${tries} times: ${(e as Error).message}. Take it off, present a blank card and run the batch again.`, { cause: e });
          continue;
        }
        if (!blank) {
          await refuse(`card ${uid} is not blank`);
          continue;
        }
        journal.append({ t: 'begin', order: order.index, id: order.id, cardNumber: order.holder.cardNumber, uid, at: now().toISOString() });
        uidOrder.set(uid, order.index);
      }
      refusals = 0;
      try {
        const report = await encodeAndVerify(card, uid, order, keys);
        await opts.extras?.(order, uid);
        journal.append({ t: 'done', order: order.index, id: order.id, cardNumber: order.holder.cardNumber, uid, at: now().toISOString(), ms: Math.round(report.ms), operations: report.operations });
        summary.encoded++;
        opts.onEvent?.({ type: 'encoded', order, uid, report, resumed: pending !== undefined });
        await takeOff();
        break;
      } catch (e) {
        // The journal itself failed, or the lock was lost: journalling a failure would fail too.
        if (opts.signal?.aborted || e instanceof JournalError || e instanceof BatchStoppedError) throw e;
        const err = e as Error;
        summary.failures++;
        const released = e instanceof EncodeError && e.code === 'FOREIGN_CARD';
        journal.append({ t: 'fail', order: order.index, id: order.id, uid, code: (e as { code?: string }).code ?? 'ERROR', step: e instanceof EncodeError ? e.step : undefined, message: err.message, released, at: now().toISOString() });
        opts.onEvent?.({ type: 'failed', order, uid, error: err });
        if (released) uidOrder.delete(uid);
        // Not released: the card may hold part of this order; it is finished on that card only.
        else if (++tries >= TRIES_PER_CARD) {
          throw new BatchStoppedError(`order ${order.id} (line ${order.line}) failed ${tries} times on card ${uid}: ${err.message}. Present that card and run the batch again to finish it.`, { cause: e });
        }
      }
    }
  }
  summary.ms = performance.now() - t0;
  return summary;
}

