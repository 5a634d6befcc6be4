/**
 * Waiting for one event, with a time-out and an AbortSignal: the one implementation that the
 * readers (waitForCard), the batch (waiting for a card to be taken off) and the gate command
 * (waiting for the first decision) share (issue 15 item 6).
 *
 * Whatever ends the wait (the event, an error, the time-out, the abort), the same cleanup runs
 * once: the caller's unsubscribe, the timer, the abort listener. A wait that ended holds nothing,
 * so it neither leaks listeners on a long-lived reader or signal nor keeps the process alive.
 * The AbortSignal handling follows the DOM convention (DOM Standard, "Aborting ongoing activities":
 * reject with `signal.reason`, check `aborted` before starting), as node:timers/promises does.
 */
import type { ErrorKind } from '../codec/errors.js';

/** The time-out of a wait: nothing happened within `timeoutMs`. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
  readonly code = 'TIMEOUT';
  /** What was waited for, as given to waitFor. */
  readonly what: string;
  readonly timeoutMs: number;

  constructor(what: string, timeoutMs: number) {
    super(`TIMEOUT: ${what} did not happen within ${timeoutMs} ms`);
    this.what = what;
    this.timeoutMs = timeoutMs;
  }

  /** A device (reader, card, operator at the reader) did not answer in time (CLI exit 4). */
  get kind(): ErrorKind {
    return 'device';
  }
}

export interface WaitOptions<T> {
  /** What is waited for, in words that finish "... did not happen": "a card on ACR122U". */
  what: string;
  /**
   * Starts listening. Call `resolve` with the value the wait ends with, or `reject` with an error
   * that ends it (later calls are ignored); return the function that stops listening.
   */
  subscribe(resolve: (value: T) => void, reject: (err: Error) => void): () => void;
  /** No time-out when undefined. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The error a time-out rejects with; default WaitTimeoutError(what, timeoutMs). */
  timeoutError?: (timeoutMs: number) => Error;
  /** The error an abort rejects with; default the signal's reason (an AbortError DOMException unless the caller gave one). */
  abortError?: (reason: unknown) => unknown;
}

/** Resolves with the first value `subscribe` delivers; rejects on its error, the time-out, or the abort. */
export function waitFor<T>(opts: WaitOptions<T>): Promise<T> {
  const { signal, timeoutMs } = opts;
  const abortError = (): unknown => (opts.abortError ? opts.abortError(signal?.reason) : signal?.reason);
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let unsubscribe: (() => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // undefined while subscribe itself delivers: it is called as soon as subscribe returns.
      unsubscribe?.();
      fn();
    };
    const onAbort = () => settle(() => reject(abortError()));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(() => settle(() => reject(opts.timeoutError ? opts.timeoutError(timeoutMs) : new WaitTimeoutError(opts.what, timeoutMs))), timeoutMs);
    }
    const stop = opts.subscribe(
      (value) => settle(() => resolve(value)),
      (err) => settle(() => reject(err)),
    );
    if (settled) stop();
    else unsubscribe = stop;
  });
}

/** Resolves when `signal` aborts (at once if it has): a command that serves until Ctrl-C. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return waitFor<void>({ what: 'an abort', signal, subscribe: () => () => {} }).catch(() => undefined);
}

/** Waits `ms`, or less when `signal` aborts (never rejects). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
