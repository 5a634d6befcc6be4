/**
 * One line of the production journal, and the checks every line passes before the batch trusts it.
 *
 * Format 2 (written since issue 19): `{"n":LINE,"t":TYPE,...,"crc":"xxxxxxxx"}` where `n` is the
 * 1-based line number (a deleted or moved line breaks the sequence) and `crc` is CRC-32/ISO-HDLC
 * (the spec's own CRC-32, src/codec/crc.ts) of the line's UTF-8 text without the `crc` member, as
 * hex. The checksum is over the text, not over a re-serialisation, so it does not depend on how a
 * JSON library orders keys. A line edited by hand (`"t":"dome"`, a changed order number) fails it.
 *
 * Format 1 (the journals of 0.1.0: no `n`, no `crc`, header without `v`) is still read, with the
 * same schema checks but no checksums; new lines appended to it are written in format 2.
 */
import { crc32 } from '../codec/crc.js';
import type { ErrorKind } from '../codec/errors.js';

export const JOURNAL_FORMAT = 2;

export type JournalEntry =
  | { t: 'batch'; orders: number; ordersSha256: string; at: string; v?: number }
  | { t: 'begin'; order: number; id: string; cardNumber: string; uid: string; at: string }
  | { t: 'done'; order: number; id: string; cardNumber: string; uid: string; at: string; ms: number; operations: number }
  /** `released`: nothing was written to the card, so the order may go on another card. */
  | { t: 'fail'; order: number; id: string; uid?: string; code: string; step?: string; message: string; released?: boolean; at: string }
  | { t: 'skip'; line: number; id?: string; code: string; message: string; at: string }
  /**
   * Printer batches (issue 16): the chip and the stripe of card `uid` are verified and the printer
   * is about to print and eject it; `ms`/`operations` are the encode's, copied into `done`.
   */
  | { t: 'print'; order: number; id: string; uid: string; at: string; ms: number; operations: number }
  /**
   * Printer batches: this card goes (or went) to the reject box and never carries an order; written
   * before the printer is told to reject it. `uid` when the chip answered; `order` when the card
   * was taken for an order, which is then redone on a new blank.
   */
  | { t: 'reject'; order?: number; id?: string; uid?: string; step: string; code: string; message: string; at: string };

/** Codes of JournalError; what each tells the caller to do is in the message. */
export type JournalErrorCode =
  /** A line is not a valid record (schema, checksum, sequence, or its place in the story). */
  | 'JOURNAL_DAMAGED'
  /** Another process holds the journal's lock. */
  | 'JOURNAL_LOCKED'
  /** The lock file was replaced under us: another process may be writing; stop at once. */
  | 'JOURNAL_LOCK_LOST'
  /** Appending or syncing a line failed (ENOSPC, EIO...): the line is not in the journal. */
  | 'JOURNAL_WRITE';

export class JournalError extends Error {
  override readonly name = 'JournalError';
  /** A damaged journal is bad data (exit 3); one in use, lost or not writable is I/O (exit 4). */
  get kind(): ErrorKind {
    return this.code === 'JOURNAL_DAMAGED' ? 'data' : 'device';
  }
  constructor(
    readonly code: JournalErrorCode,
    message: string,
    /** The journal (or lock) file, and the 1-based line when one line is at fault. */
    readonly where: { file: string; line?: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const CRC_TAIL = /,"crc":"([0-9a-f]{8})"\}$/;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const crcOf = (text: string) => hex8(crc32(Buffer.from(text, 'utf8')));

/** The text of line `n` (without its newline). */
export function formatLine(n: number, entry: JournalEntry): string {
  const body = JSON.stringify({ n, ...entry });
  return `${body.slice(0, -1)},"crc":"${crcOf(body)}"}`;
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const bool: Check = (v) => typeof v === 'boolean';
/** 4-, 7- or 10-byte UID, lower-case hex (ISO/IEC 14443-3 UID sizes). */
const uid: Check = (v) => typeof v === 'string' && /^([0-9a-f]{8}|[0-9a-f]{14}|[0-9a-f]{20})$/.test(v);
const digits: Check = (v) => typeof v === 'string' && /^[0-9]{1,12}$/.test(v);
const iso: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const sha256: Check = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Per record type: required fields, then optional ones. Any other field is refused. */
const SCHEMA: Record<JournalEntry['t'], { req: Record<string, Check>; opt: Record<string, Check> }> = {
  batch: { req: { orders: count, ordersSha256: sha256, at: iso }, opt: { v: count } },
  begin: { req: { order: count, id: nonEmpty, cardNumber: digits, uid, at: iso }, opt: {} },
  done: { req: { order: count, id: nonEmpty, cardNumber: digits, uid, at: iso, ms: count, operations: count }, opt: {} },
  fail: { req: { order: count, id: nonEmpty, code: nonEmpty, message: str, at: iso }, opt: { uid, step: str, released: bool } },
  skip: { req: { line: count, code: nonEmpty, message: str, at: iso }, opt: { id: str } },
  print: { req: { order: count, id: nonEmpty, uid, at: iso, ms: count, operations: count }, opt: {} },
  reject: { req: { step: nonEmpty, code: nonEmpty, message: str, at: iso }, opt: { order: count, id: nonEmpty, uid } },
};

export type ParsedLine = { ok: true; entry: JournalEntry; checked: boolean } | { ok: false; problem: string };

/**
 * Parses and checks line `n` of a journal. `legacy`: the journal is format 1, whose lines carry no
 * `n` and no `crc`; a line that does carry them is checked all the same.
 */
export function parseLine(text: string, n: number, legacy: boolean): ParsedLine {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not JSON' };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, problem: 'is not a JSON object' };
  const rec = { ...(obj as Record<string, unknown>) };
  const tail = CRC_TAIL.exec(text);
  if ('crc' in rec || 'n' in rec) {
    if (!tail) return { ok: false, problem: 'has a malformed "crc" member (it must be the last, 8 hex digits)' };
    const body = `${text.slice(0, tail.index)}}`;
    if (crcOf(body) !== tail[1]) return { ok: false, problem: `fails its checksum (crc ${tail[1]}, the text gives ${crcOf(body)}): it was changed after it was written` };
    if (rec.n !== n) return { ok: false, problem: `is numbered ${JSON.stringify(rec.n)}, expected ${n}: a line before it was deleted, added or moved` };
    delete rec.crc;
    delete rec.n;
  } else if (!legacy) {
    return { ok: false, problem: 'has no "n" and "crc" members, which every line of a format-2 journal carries' };
  }
  const t = rec.t;
  if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(SCHEMA, t)) return { ok: false, problem: `has an unknown record type ${JSON.stringify(t)} (known: ${Object.keys(SCHEMA).join(', ')})` };
  const { req, opt } = SCHEMA[t as JournalEntry['t']];
  for (const [k, check] of Object.entries(req)) {
    if (!(k in rec)) return { ok: false, problem: `('${t}') lacks the field "${k}"` };
    if (!check(rec[k])) return { ok: false, problem: `('${t}') has a bad "${k}": ${JSON.stringify(rec[k])}` };
  }
  for (const [k, v] of Object.entries(rec)) {
    if (k === 't' || k in req) continue;
    if (!(k in opt)) return { ok: false, problem: `('${t}') has an unknown field "${k}"` };
    if (!opt[k](v)) return { ok: false, problem: `('${t}') has a bad "${k}": ${JSON.stringify(v)}` };
  }
  return { ok: true, entry: rec as unknown as JournalEntry, checked: tail !== null };
}

/** Quotes a piece of a damaged file for a message: escaped (no raw control bytes) and cut. */
export function quote(text: string, max = 60): string {
  const q = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${q}… (${text.length} characters)` : q;
}
