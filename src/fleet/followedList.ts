/**
 * The list a HotlistFollower keeps (follower.ts): the gate's Hotlist table (src/hotlist/table.ts:
 * what a tap looks up) plus each card number's expiry (what pruning needs), changed together.
 *
 * Expiry pruning: an entry whose expiry day is before the Oslo date is dropped; spec section 7 rule 6
 * refuses that card as expired anyway (an issuer lists the expiry of the number's newest card).
 */
import { Hotlist } from '../hotlist/table.js';
import { cardNumberValue } from '../codec/hotlistEntry.js';
import { checkFeedEntry, type CheckedEntry } from './feedEntry.js';
import type { FeedDelta } from './contracts.js';

/** Entries built between two yields to the event loop: a million-entry snapshot never blocks taps for long. */
const BUILD_CHUNK = 65_536;

export class FollowedList {
  readonly table: Hotlist;
  /** Card number -> expiry (days since 1970-01-01). */
  private readonly expiries = new Map<number, number>();

  constructor(expected = 16) {
    this.table = new Hotlist(expected);
  }

  get size(): number {
    return this.expiries.size;
  }

  /**
   * A new list from a snapshot's entries, built aside, yielding every BUILD_CHUNK entries. Entries
   * `check` refuses (it reports them and returns undefined) are skipped; `pruned` counts the expired.
   */
  static async build(entries: readonly unknown[], today: number, check: (e: unknown) => CheckedEntry | undefined, signal: AbortSignal): Promise<{ list: FollowedList; pruned: number }> {
    const list = new FollowedList(entries.length);
    let pruned = 0;
    for (let i = 0; i < entries.length; i++) {
      if (i > 0 && i % BUILD_CHUNK === 0) {
        await new Promise<void>((r) => setImmediate(r));
        signal.throwIfAborted();
      }
      const e = check(entries[i]);
      if (e !== undefined && !list.put(e, today)) pruned++;
    }
    return { list, pruned };
  }

  /** Sets the number's entry (replacing any, unlike Hotlist.add); false when expired (then removed). */
  put(e: CheckedEntry, today: number): boolean {
    this.table.delete(e.cardNumber);
    if (e.expiryDay < today) {
      this.expiries.delete(e.cardNumber);
      return false;
    }
    this.table.add(e.cardNumber, e.minIssue);
    this.expiries.set(e.cardNumber, e.expiryDay);
    return true;
  }

  /** Applies a checked delta (feedEntry.ts checkFeedDelta); false when a put was expired. */
  apply(d: FeedDelta, today: number): boolean {
    if (d.op === 'put') return this.put(checkFeedEntry(d.entry), today);
    const n = cardNumberValue(d.cardNumber);
    this.table.delete(n);
    this.expiries.delete(n);
    return true;
  }

  /** Removes the entries expired before `today`; returns how many. */
  prune(today: number): number {
    let n = 0;
    for (const [card, expiry] of this.expiries) {
      if (expiry < today) {
        this.table.delete(card);
        this.expiries.delete(card);
        n++;
      }
    }
    return n;
  }
}
