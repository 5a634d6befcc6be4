/**
 * The production journal: JSON lines, one per event, each appended with fsync before the batch
 * moves on, so a batch killed at any moment resumes exactly where it stood. Line format and
 * checks: journalFormat.ts. One process at a time: lock.ts.
 *
 * Write-ahead rule: `begin` (with the card's UID) is durable before the first write to a card, and
 * `done` is durable before the next card is taken. On resume an order with `begin` and no `done`
 * is finished on the SAME card (the encoder completes a half-written card), never on a new one, so
 * no order is ever encoded on two cards. A line the journal cannot vouch for stops the batch: a
 * skipped `done` would put an order on a second card.
 */
import * as nodeFs from 'node:fs';
import { JOURNAL_FORMAT, JournalError, formatLine, parseLine, quote, type JournalEntry } from './journalFormat.js';
import { JournalLock } from './lock.js';

export { JournalError, type JournalEntry } from './journalFormat.js';

export interface JournalState {
  header?: Extract<JournalEntry, { t: 'batch' }>;
  /** Orders finished, by order index, with the UID of their card. */
  done: Map<number, string>;
  /**
   * The order begun and not finished (at most one), with the UID of its card; `printing` once a
   * printer batch journalled `print` (chip and stripe verified, print and eject under way).
   */
  pending?: { order: number; uid: string; printing?: boolean };
  /** UIDs of cards sent to a printer's reject box: never taken for an order again. */
  rejected: Set<string>;
  entries: JournalEntry[];
}

/** The file calls the journal makes; a test passes its own to inject ENOSPC or EIO. */
export type JournalFs = Pick<typeof nodeFs, 'existsSync' | 'readFileSync' | 'openSync' | 'writeSync' | 'fsyncSync' | 'ftruncateSync' | 'closeSync'>;

/** What open() did to the last line, for the log. */
export type Repair = { kind: 'none' } | { kind: 'completed' } | { kind: 'cut'; bytes: number; text: string };

const DO = 'Restore the journal from a copy, or give this order file a new journal after checking which orders already have a card (the tray, or the cards themselves)';

export class Journal {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly state: JournalState,
    readonly repair: Repair,
    readonly lock: JournalLock,
    private size: number,
    private lines: number,
    private readonly fs: JournalFs,
  ) {}

  /** Bytes of an unfinished last line removed on open (a kill during its write). */
  get repairedBytes(): number {
    return this.repair.kind === 'cut' ? this.repair.bytes : 0;
  }

  /**
   * Takes the lock, opens (creating if absent) and replays the journal. Throws JournalError:
   * JOURNAL_LOCKED (another batch runs on it), JOURNAL_DAMAGED (a line it cannot vouch for).
   */
  static open(path: string, opts: { fs?: JournalFs } = {}): Journal {
    const fs = opts.fs ?? nodeFs;
    const lock = JournalLock.acquire(`${path}.lock`);
    let fd: number | undefined;
    try {
      const buf = fs.existsSync(path) ? (fs.readFileSync(path) as Buffer) : Buffer.alloc(0);
      fd = fs.openSync(path, 'a+', 0o600);
      const { entries, repair, lines, keep } = read(path, buf);
      if (repair.kind === 'cut') {
        fs.ftruncateSync(fd, keep);
        fs.fsyncSync(fd);
      } else if (repair.kind === 'completed') {
        // A whole record whose newline never reached the disk: it was written, so it counts.
        fs.writeSync(fd, Buffer.from('\n'));
        fs.fsyncSync(fd);
      }
      const size = repair.kind === 'completed' ? buf.length + 1 : keep;
      return new Journal(path, fd, replay(entries, path), repair, lock, size, lines, fs);
    } catch (e) {
      if (fd !== undefined) fs.closeSync(fd);
      lock.release();
      throw e;
    }
  }

  /**
   * Appends one entry and fsyncs before returning. On failure (ENOSPC, EIO) the file is cut back
   * to its last whole line and JournalError JOURNAL_WRITE names the file and how to resume.
   */
  append(entry: JournalEntry): void {
    this.lock.verify();
    const line = Buffer.from(formatLine(this.lines + 1, entry) + '\n');
    let off = 0;
    try {
      while (off < line.length) off += this.fs.writeSync(this.fd, line, off, line.length - off);
      this.fs.fsyncSync(this.fd);
    } catch (e) {
      try {
        this.fs.ftruncateSync(this.fd, this.size);
      } catch {
        // the next open cuts the unfinished line
      }
      throw new JournalError('JOURNAL_WRITE', `journal ${this.path}: could not write the '${entry.t}' line${'order' in entry ? ` of order ${entry.id}` : ''} (${(e as Error).message}). ${resumeHint(entry)}`, { file: this.path, line: this.lines + 1 }, { cause: e });
    }
    this.size += line.length;
    this.lines++;
    this.state.entries.push(entry);
    apply(this.state, entry, this.path, this.lines);
  }

  close(): void {
    this.fs.closeSync(this.fd);
    this.lock.release();
  }
}

function resumeHint(e: JournalEntry): string {
  const fix = 'Free space on its disk (or fix the device) and run the same command again: it resumes';
  if (e.t === 'begin') return `Nothing was written to card ${e.uid}. ${fix}.`;
  if (e.t === 'done') return `Card ${e.uid} is encoded but not yet recorded: leave it on the reader (or keep it apart). ${fix} and finishes order ${e.id} on that card.`;
  return `${fix}.`;
}

/** Splits the file into checked entries; decides what to do with a last line lacking its newline. */
function read(path: string, buf: Buffer): { entries: JournalEntry[]; repair: Repair; lines: number; keep: number } {
  const text = buf.toString('utf8');
  const cut = text.lastIndexOf('\n') + 1;
  const body = text.slice(0, cut).split('\n').slice(0, -1);
  const tail = text.slice(cut);
  const entries: JournalEntry[] = [];
  let legacy = false;
  body.forEach((l, i) => {
    // Line 1 decides the format: a header without `v` and checksum is format 1.
    const p = parseLine(l, i + 1, legacy || i === 0);
    if (!p.ok) throw damaged(path, i + 1, `${p.problem}: ${quote(l)}`);
    if (i === 0 && p.entry.t === 'batch' && p.entry.v !== undefined && !p.checked) throw damaged(path, 1, `is a format-${p.entry.v} header without its checksum: ${quote(l)}`);
    if (i === 0) legacy = p.entry.t === 'batch' && p.entry.v === undefined;
    entries.push(p.entry);
  });
  if (tail === '') return { entries, repair: { kind: 'none' }, lines: body.length, keep: buf.length };
  const p = parseLine(tail, body.length + 1, legacy || body.length === 0);
  if (p.ok) {
    entries.push(p.entry);
    return { entries, repair: { kind: 'completed' }, lines: body.length + 1, keep: buf.length };
  }
  // The last write never completed: it was never acknowledged, so nothing acted on it.
  return { entries, repair: { kind: 'cut', bytes: Buffer.byteLength(tail), text: tail }, lines: body.length, keep: Buffer.byteLength(text.slice(0, cut)) };
}

function damaged(path: string, line: number, what: string): JournalError {
  return new JournalError('JOURNAL_DAMAGED', `journal ${path} line ${line} ${what}. The batch will not guess what was encoded. ${DO}.`, { file: path, line });
}

/** Applies one entry; refuses one that contradicts the story so far (a hand edit, a mixed file). */
function apply(s: JournalState, e: JournalEntry, path: string, line: number): void {
  const bad = (why: string) => damaged(path, line, `('${e.t}') ${why}`);
  if (line === 1 && e.t !== 'batch') throw bad('comes first, where the batch header belongs: the header line was lost, so the check that this journal belongs to the order file is gone');
  if (line > 1 && e.t === 'batch') throw bad('is a second batch header');
  if ('order' in e && e.order !== undefined && s.header && e.order >= s.header.orders) throw bad(`names order #${e.order + 1} of a batch of ${s.header.orders}`);
  switch (e.t) {
    case 'batch':
      s.header = e;
      break;
    case 'begin':
      if (s.done.has(e.order)) throw bad(`begins order #${e.order + 1}, which is already done on card ${s.done.get(e.order)}`);
      if (s.pending && s.pending.order !== e.order) throw bad(`begins order #${e.order + 1} while order #${s.pending.order + 1} is still open on card ${s.pending.uid}`);
      if (s.rejected.has(e.uid)) throw bad(`begins order #${e.order + 1} on card ${e.uid}, which was rejected`);
      s.pending = { order: e.order, uid: e.uid };
      break;
    case 'print':
      if (s.pending?.order !== e.order || s.pending.uid !== e.uid) throw bad(`prints order #${e.order + 1} on card ${e.uid}, which was not begun on that card`);
      s.pending.printing = true;
      break;
    case 'reject':
      if (e.uid !== undefined) {
        const carries = [...s.done].find(([, uid]) => uid === e.uid);
        // A finished card fed again is refused untouched at the `check` step: it stays its order's
        // good card (out of the reject box). Any later step would have written to it: a contradiction.
        if (carries && e.step !== 'check') throw bad(`rejects card ${e.uid} at ${e.step}, which carries order #${carries[0] + 1} (done)`);
        if (!carries) s.rejected.add(e.uid);
      }
      if (e.order !== undefined && s.done.has(e.order)) throw bad(`rejects a card of order #${e.order + 1}, which is already done on card ${s.done.get(e.order)}`);
      // The order's card is in the reject box: the order goes to a new blank.
      if (s.pending && s.pending.order === e.order && s.pending.uid === e.uid) s.pending = undefined;
      break;
    case 'done':
      if (s.pending?.order !== e.order || s.pending.uid !== e.uid) throw bad(`finishes order #${e.order + 1} on card ${e.uid}, which was not begun on that card`);
      s.done.set(e.order, e.uid);
      s.pending = undefined;
      break;
    case 'fail':
      if (e.released && s.pending?.order === e.order) s.pending = undefined;
      break;
    default:
      break;
  }
}

/** Replays checked entries; `path` names the file in the error when one contradicts the rest. */
export function replay(entries: JournalEntry[], path = 'journal'): JournalState {
  const s: JournalState = { done: new Map(), rejected: new Set(), entries: [] };
  entries.forEach((e, i) => {
    s.entries.push(e);
    apply(s, e, path, i + 1);
  });
  return s;
}

/** The header the batch command writes on line 1 of a new journal. */
export function header(orders: number, ordersSha256: string, at: Date): JournalEntry {
  return { t: 'batch', v: JOURNAL_FORMAT, orders, ordersSha256, at: at.toISOString() };
}
