/**
 * The callers waiting for a card, and the rule that no error is lost or delivered twice: an error
 * goes to the pending waiters, else to the reader's 'error' listeners, else it is kept and the next
 * wait rejects with it (reader core, core.ts).
 */
import { CardError, type MifareClassicCard } from '../../transport/card.js';
import { waitFor } from '../../transport/wait.js';

interface Waiter {
  resolve(card: MifareClassicCard): void;
  reject(err: Error): void;
}

export class CardWaiters {
  private waiters: Waiter[] = [];
  private pending: Error | undefined;

  /** The card `present`, else waits for `resolveAll`; rejects on timeout (CardError TIMEOUT naming `what`), abort, or a reported error. */
  wait(what: string, opts: { timeoutMs?: number; signal?: AbortSignal }, present?: MifareClassicCard): Promise<MifareClassicCard> {
    if (this.pending) {
      const e = this.pending;
      this.pending = undefined;
      return Promise.reject(e);
    }
    if (present) return Promise.resolve(present);
    return waitFor<MifareClassicCard>({
      what: `a card on ${what}`,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      timeoutError: (ms) => new CardError('TIMEOUT', `no card within ${ms} ms on ${what}`),
      abortError: (reason) => new CardError('TIMEOUT', 'waiting for a card was aborted', { cause: reason }),
      subscribe: (resolve, reject) => {
        const waiter: Waiter = { resolve, reject };
        this.waiters.push(waiter);
        return () => (this.waiters = this.waiters.filter((w) => w !== waiter));
      },
    });
  }

  resolveAll(card: MifareClassicCard): void {
    for (const w of [...this.waiters]) w.resolve(card);
  }

  /** Delivers `err` to the waiters, else to `emit` (false when nobody listens), else keeps it. */
  report(err: Error, emit: (err: Error) => boolean): void {
    if (this.waiters.length) for (const w of [...this.waiters]) w.reject(err);
    else if (!emit(err)) this.pending = err;
  }

  rejectAll(err: Error): void {
    for (const w of [...this.waiters]) w.reject(err);
  }
}
