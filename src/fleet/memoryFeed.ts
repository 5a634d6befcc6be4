/**
 * An in-memory HotlistFeed (contracts.ts), for fast unit tests and users' own: a map of entries at
 * a revision plus the deltas that led there, with fault injection. It follows the contract the NATS
 * KV feed keeps: every change takes the next revision; watch(after) delivers the kept deltas after
 * `after` in order, then onCaughtUp, then each new change; when deltas after `after` were purged it
 * fails with FeedGapError (a KV bucket whose history no longer holds the revision).
 *
 * Fault injection: purgeHistory (a gap), pushRaw (a malformed delta to every watcher), disconnect
 * (every watch fails, as a dropped connection), failSnapshots (the next snapshot() calls fail).
 */
import { cardNumberValue } from '../codec/hotlistEntry.js';
import { needArray, needObject } from '../codec/guard.js';
import { FeedGapError, FleetError } from './errors.js';
import { checkFeedEntry } from './feedEntry.js';
import type { FeedDelta, FeedEntry, FeedSnapshot, HotlistFeed } from './contracts.js';

/** A change as publish() takes it: the feed gives it its revision. */
export type FeedChange = { op: 'put'; entry: FeedEntry } | { op: 'remove'; cardNumber: string };

interface Watcher {
  onDelta(d: FeedDelta): void;
  onCaughtUp?(revision: number): void;
  fail(e: Error): void;
}

export class MemoryHotlistFeed implements HotlistFeed {
  private readonly entries = new Map<number, FeedEntry>();
  private history: FeedDelta[] = [];
  private rev = 0;
  /** Deltas at or below this revision were purged. */
  private purgedThrough = 0;
  private readonly watchers = new Set<Watcher>();
  private snapshotFailures = 0;
  private readonly clock: () => number;
  readonly stats = { snapshots: 0, watches: 0 };

  constructor(opts: { entries?: readonly FeedEntry[]; clock?: () => number } = {}) {
    needObject('MemoryHotlistFeed', 'opts', opts);
    this.clock = opts.clock ?? Date.now;
    if (opts.entries) this.publish(opts.entries.map((entry) => ({ op: 'put', entry })));
  }

  /** The newest revision (0: nothing published yet). */
  get revision(): number {
    return this.rev;
  }

  /** Entries listed now. */
  get size(): number {
    return this.entries.size;
  }

  put(entry: FeedEntry): number {
    return this.publish([{ op: 'put', entry }]);
  }

  remove(cardNumber: string): number {
    return this.publish([{ op: 'remove', cardNumber }]);
  }

  /**
   * Applies the changes, one revision each, and delivers them to every watcher in one synchronous
   * run (no tap can be decided between two of them). Entries are checked (FEED_DELTA_MALFORMED) before
   * any is applied. Returns the new revision.
   */
  publish(changes: readonly FeedChange[]): number {
    needArray('MemoryHotlistFeed.publish', 'changes', changes);
    for (const c of changes) if (c.op === 'put') checkFeedEntry(c.entry);
    const deltas: FeedDelta[] = [];
    for (const c of changes) {
      const revision = ++this.rev;
      if (c.op === 'put') {
        const entry = { ...c.entry };
        this.entries.set(cardNumberValue(entry.cardNumber), entry);
        deltas.push({ op: 'put', revision, entry });
      } else {
        this.entries.delete(cardNumberValue(c.cardNumber));
        deltas.push({ op: 'remove', revision, cardNumber: c.cardNumber });
      }
    }
    for (const d of deltas) this.history.push(d); // not push(...deltas): a million arguments overflow the stack
    for (const w of [...this.watchers]) for (const d of deltas) w.onDelta(d);
    return this.rev;
  }

  /** Drops the kept deltas with revision <= `through` (default: all): a watch from before fails with FeedGapError. */
  purgeHistory(through = this.rev): void {
    this.purgedThrough = Math.max(this.purgedThrough, Math.min(through, this.rev));
    this.history = this.history.filter((d) => d.revision > this.purgedThrough);
  }

  /** Delivers `delta` as is to every watcher (a malformed message on the wire). */
  pushRaw(delta: unknown): void {
    for (const w of [...this.watchers]) w.onDelta(delta as FeedDelta);
  }

  /** Tells every watcher it is still caught up at the newest revision (a heartbeat: nothing new). */
  heartbeat(): void {
    for (const w of [...this.watchers]) w.onCaughtUp?.(this.rev);
  }

  /** Every current watch fails with `error` (a dropped connection). */
  disconnect(error: Error = new FleetError('FEED_UNAVAILABLE', 'disconnected')): void {
    for (const w of [...this.watchers]) w.fail(error);
  }

  /** The next `n` snapshot() calls fail with FEED_UNAVAILABLE. */
  failSnapshots(n: number): void {
    this.snapshotFailures = n;
  }

  /** Watchers now (a test waits until its follower is watching). */
  get watching(): number {
    return this.watchers.size;
  }

  async snapshot(signal?: AbortSignal): Promise<FeedSnapshot> {
    await Promise.resolve();
    signal?.throwIfAborted();
    this.stats.snapshots++;
    if (this.snapshotFailures > 0) {
      this.snapshotFailures--;
      throw new FleetError('FEED_UNAVAILABLE', 'snapshot failed (injected)');
    }
    return { revision: this.rev, takenAt: new Date(this.clock()).toISOString(), entries: [...this.entries.values()].map((e) => ({ ...e })) };
  }

  watch(afterRevision: number, handlers: { onDelta(d: FeedDelta): void; onCaughtUp?(revision: number): void }, signal: AbortSignal): Promise<void> {
    this.stats.watches++;
    if (afterRevision < this.purgedThrough) return Promise.reject(new FeedGapError(afterRevision, this.purgedThrough + 1));
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Watcher = {
        onDelta: (d) => handlers.onDelta(d),
        onCaughtUp: (r) => handlers.onCaughtUp?.(r),
        fail: (e) => {
          end();
          reject(e);
        },
      };
      const end = (): void => {
        this.watchers.delete(w);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        end();
        resolve();
      };
      signal.addEventListener('abort', onAbort);
      // The kept deltas after `afterRevision`, then caught up, then live: all in this turn, so none
      // published meanwhile is missed or repeated.
      for (const d of this.history) if (d.revision > afterRevision) handlers.onDelta(d);
      handlers.onCaughtUp?.(this.rev);
      this.watchers.add(w);
    });
  }
}
