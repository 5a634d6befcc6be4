/**
 * The production journal: JSON lines, one per event, each appended with fsync before the batch
 * moves on, so a batch killed at any moment resumes exactly where it stood.
 *
 * Write-ahead rule: `begin` (with the card's UID) is durable before the first write to a card, and
 * `done` is durable before the next card is taken. On resume an order with `begin` and no `done`
 * is finished on the SAME card (the encoder completes a half-written card), never on a new one, so
 * no order is ever encoded on two cards.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export type JournalEntry =
  | { t: 'batch'; orders: number; ordersSha256: string; at: string }
  | { t: 'begin'; order: number; id: string; cardNumber: string; uid: string; at: string }
  | { t: 'done'; order: number; id: string; cardNumber: string; uid: string; at: string; ms: number; operations: number }
  /** `released`: nothing was written to the card, so the order may go on another card. */
  | { t: 'fail'; order: number; id: string; uid?: string; code: string; step?: string; message: string; released?: boolean; at: string }
  | { t: 'skip'; line: number; id?: string; code: string; message: string; at: string };

export interface JournalState {
  header?: Extract<JournalEntry, { t: 'batch' }>;
  /** Orders finished, by order index, with the UID of their card. */
  done: Map<number, string>;
  /** The order begun and not finished (at most one), with the UID of its card. */
  pending?: { order: number; uid: string };
  entries: JournalEntry[];
}

export class Journal {
  private constructor(
    readonly path: string,
    private fd: number,
    readonly state: JournalState,
    /** Bytes of an unfinished last line removed on open (a kill during its write). */
    readonly repairedBytes: number,
  ) {}

  /** Opens (creating if absent) and replays the journal. A torn last line is cut off. */
  static open(path: string): Journal {
    let text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    let repaired = 0;
    const cut = text.lastIndexOf('\n') + 1;
    if (cut < text.length) {
      // The last write never completed: it was never acknowledged, so nothing acted on it.
      repaired = Buffer.byteLength(text.slice(cut));
      text = text.slice(0, cut);
    }
    const fd = openSync(path, 'a+');
    if (repaired > 0) {
      ftruncateSync(fd, Buffer.byteLength(text));
      fsyncSync(fd);
    }
    const entries: JournalEntry[] = [];
    text.split('\n').forEach((l, i) => {
      if (l === '') return;
      try {
        entries.push(JSON.parse(l) as JournalEntry);
      } catch {
        closeSync(fd);
        throw new Error(`journal ${path}: line ${i + 1} is not JSON; refusing to guess what was encoded`);
      }
    });
    return new Journal(path, fd, replay(entries), repaired);
  }

  /** Appends one entry and fsyncs before returning. */
  append(entry: JournalEntry): void {
    const line = Buffer.from(JSON.stringify(entry) + '\n');
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
    fsyncSync(this.fd);
    this.state.entries.push(entry);
    apply(this.state, entry);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function apply(s: JournalState, e: JournalEntry): void {
  switch (e.t) {
    case 'batch':
      s.header ??= e;
      break;
    case 'begin':
      s.pending = { order: e.order, uid: e.uid };
      break;
    case 'done':
      s.done.set(e.order, e.uid);
      if (s.pending?.order === e.order) s.pending = undefined;
      break;
    case 'fail':
      if (e.released && s.pending?.order === e.order) s.pending = undefined;
      break;
    default:
      break;
  }
}

export function replay(entries: JournalEntry[]): JournalState {
  const s: JournalState = { done: new Map(), entries: [] };
  for (const e of entries) {
    s.entries.push(e);
    apply(s, e);
  }
  return s;
}
