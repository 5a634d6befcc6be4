/**
 * Reading one Evolis reply from a byte stream, as a pure step function (feed(state, chunk)).
 *
 * No terminator of the reply is documented. Evolis's SDK samples compare the whole reply with
 * "OK" (S9 CPrinter.vb `WRPrinterOK`, S16), so the reply itself carries none; the Perl driver
 * reads until a NUL byte or EOF (S10 lib/Printer/EVOLIS/Parallel.pm l.51-67). OUR READING, not
 * Evolis's word: a reply is complete at the first NUL, CR or LF after its text, or, when none
 * comes, after a quiet gap of QUIET_GAP_MS with no byte (the transports call `endOfReply` then).
 * NUL, CR and LF before any text are skipped: the padding NULs between frames (S10 captures) and
 * a CR LF a firmware might send first.
 */
import { needBytes, needObject } from '../../codec/guard.js';
import { PrinterError } from './errors.js';

/** The quiet gap that ends a reply without a terminator (our choice; see above). */
export const QUIET_GAP_MS = 50;

/**
 * The longest reply accepted. The longest documented replies are a firmware or model string and
 * a magnetic track read back (107 characters on track 3, S12); anything much longer is not a
 * reply, so the reader stops instead of growing without bound.
 */
export const MAX_REPLY_BYTES = 1024;

export interface ReplyState {
  /** The reply's bytes so far (no leading NUL/CR/LF). */
  readonly bytes: Uint8Array;
}

export type ReplyStep =
  | { readonly done: false; readonly state: ReplyState }
  /** `rest`: bytes after the terminator (another reply's, or the terminator's second byte). */
  | { readonly done: true; readonly reply: string; readonly rest: Uint8Array }
  | { readonly done: true; readonly error: PrinterError; readonly rest: Uint8Array };

export const initialReplyState: ReplyState = Object.freeze({ bytes: new Uint8Array(0) });

const isEnd = (b: number) => b === 0x00 || b === 0x0d || b === 0x0a;

/** ASCII text; a byte above 0x7E is shown as Latin-1 rather than dropped. */
const text = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** Feeds the bytes that arrived; returns the complete reply, or the state to feed on. */
export function feedReply(state: ReplyState, chunk: Uint8Array): ReplyStep {
  needObject('feedReply', 'state', state);
  needBytes('feedReply', 'state.bytes', state.bytes);
  needBytes('feedReply', 'chunk', chunk);
  let start = 0;
  // Skip padding before the text (only while nothing of the reply has come).
  if (state.bytes.length === 0) while (start < chunk.length && isEnd(chunk[start])) start++;
  let end = start;
  while (end < chunk.length && !isEnd(chunk[end])) end++;
  const length = state.bytes.length + (end - start);
  if (length > MAX_REPLY_BYTES) {
    return { done: true, error: new PrinterError('UNEXPECTED_REPLY', `a reply of more than ${MAX_REPLY_BYTES} bytes without a NUL, CR or LF: not an Evolis reply`), rest: new Uint8Array(0) };
  }
  const bytes = new Uint8Array(length);
  bytes.set(state.bytes);
  bytes.set(chunk.subarray(start, end), state.bytes.length);
  if (end < chunk.length) return { done: true, reply: text(bytes), rest: chunk.slice(end + 1) };
  return { done: false, state: { bytes } };
}

/** The quiet gap passed: the text so far is the reply (undefined when nothing but padding came). */
export function endOfReply(state: ReplyState): string | undefined {
  needObject('endOfReply', 'state', state);
  needBytes('endOfReply', 'state.bytes', state.bytes);
  return state.bytes.length > 0 ? text(state.bytes) : undefined;
}
