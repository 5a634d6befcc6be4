/**
 * The link to a printer: send one frame, wait for its reply. The transports (tcpLink.ts,
 * usbLink.ts) implement it; EvolisPrinter takes one, never opens one itself, so a test or the
 * emulator can stand in for the device. `readReply` is the one wait every transport shares: bytes
 * go through the pure reply reader (replyReader.ts) and the wait has a time-out that names the
 * command (src/transport/wait.ts).
 */
import { waitFor } from '../../transport/wait.js';
import { PrinterError } from './errors.js';
import { endOfReply, feedReply, initialReplyState, QUIET_GAP_MS, type ReplyState } from './replyReader.js';

export interface ExchangeOptions {
  /** The command as logs show it ("Sic", "Dbc;k;2;41000;<41000 bytes>"): named by a time-out. */
  readonly what: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface PrinterLink {
  /** Sends one frame and resolves with the reply text (without terminator). One call at a time. */
  exchange(frame: Uint8Array, opts: ExchangeOptions): Promise<string>;
  close(): Promise<void>;
}

/** Where reply bytes come from: `onBytes` for each chunk, `onError` when the source fails. */
export type ByteSource = (onBytes: (chunk: Uint8Array) => void, onError: (err: Error) => void) => () => void;

/** The error of a reply that did not come in time: names the command and the time-out. */
export function noReplyError(what: string, timeoutMs: number): PrinterError {
  return new PrinterError('TIMEOUT', `no reply to ${what} within ${timeoutMs} ms`, { command: what });
}

/**
 * Waits for one reply from `source`: complete at a terminator, or QUIET_GAP_MS after the last byte
 * (replyReader.ts says why). Rejects with TIMEOUT naming the command, the source's error, or the
 * signal's reason. `budgetMs`: what is left of the command's time-out when the transport spent
 * some of it sending (the error still names the command's whole time-out). `quietGapMs`: a link to
 * something faster than a printer (the emulator in memory) may wait less.
 */
export function readReply(source: ByteSource, opts: ExchangeOptions, budgetMs = opts.timeoutMs, quietGapMs = QUIET_GAP_MS): Promise<string> {
  return waitFor<string>({
    what: `the reply to ${opts.what}`,
    timeoutMs: budgetMs,
    signal: opts.signal,
    timeoutError: () => noReplyError(opts.what, opts.timeoutMs),
    subscribe(resolve, reject) {
      let state: ReplyState = initialReplyState;
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const stopSource = source(
        (chunk) => {
          if (quiet !== undefined) clearTimeout(quiet);
          const step = feedReply(state, chunk);
          if (step.done) return 'error' in step ? reject(step.error) : resolve(step.reply);
          state = step.state;
          quiet = setTimeout(() => {
            const reply = endOfReply(state);
            if (reply !== undefined) resolve(reply);
          }, quietGapMs);
        },
        (err) => reject(err instanceof PrinterError ? err : new PrinterError('IO', `${opts.what}: ${err.message}`, { command: opts.what, cause: err })),
      );
      return () => {
        if (quiet !== undefined) clearTimeout(quiet);
        stopSource();
      };
    },
  });
}
