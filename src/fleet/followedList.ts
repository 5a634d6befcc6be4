/**
 * The list a HotlistFollower keeps (follower.ts): the gate's Hotlist table (src/hotlist/table.ts:
 * what a tap looks up) with each entry's expiry in the table's 16-bit slot tag, as days since
 * 2000-01-01 (the gate block's own expiry field, spec section 2). In the table, not in a Map beside
 * it: a Map of a million numbers took 1.6 s to fill and 28 MiB of heap (measured on this machine).
 *
 * Expiry pruning: an entry whose expiry day is before the Oslo date is dropped; spec section 7 rule 6
 * refuses that card as expired anyway (an issuer lists the expiry of the number's newest card).
 */
import { Hotlist } from '../hotlist/table.js';
import { cardNumberValue } from '../codec/hotlistEntry.js';
import { EXPIRY_EPOCH_DAYS } from '../codec/dates.js';
import { checkFeedEntry, type CheckedEntry } from './feedEntry.js';
import type { FeedDelta } from './contracts.js';

/** Entries built between two yields to the event loop: a million-entry snapshot never blocks taps for long. */
const BUILD_CHUNK = 65_536;

export class FollowedList {
  readonly table: Hotlist;

  constructor(expected = 16) {
    this.table = new Hotlist(expected);
  }

  get size(): number {
    return this.table.size;
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
    if (e.expiryDay < today) {
      this.table.delete(e.cardNumber);
      return false;
    }
    // Past 2179 (65 535 days): kept until then, which is as good as for ever.
    this.table.set(e.cardNumber, e.minIssue, Math.min(e.expiryDay - EXPIRY_EPOCH_DAYS, 0xffff));
    return true;
  }

  /** Applies a checked delta (feedEntry.ts checkFeedDelta); false when a put was expired. */
  apply(d: FeedDelta, today: number): boolean {
    if (d.op === 'put') return this.put(checkFeedEntry(d.entry), today);
    this.table.delete(cardNumberValue(d.cardNumber));
    return true;
  }

  /** Removes the entries expired before `today`; returns how many. */
  prune(today: number): number {
    const tag = today - EXPIRY_EPOCH_DAYS;
    return this.table.deleteIf((_n, expiry) => expiry < tag);
  }
}
