/**
 * HotlistFollower (issue 17 part 4): keeps a gate's hot list in step with a HotlistFeed.
 *
 * States (named, as libosdp names its CP states): idle -> loading (snapshot) -> following (watch)
 * -> retrying (backoff after a feed error) -> loading or following ...; stopped at the end.
 *
 * - loading: the snapshot is built into a NEW table aside (yielding to the event loop every 64 Ki
 *   entries, so taps go on being decided with the old list), then swapped in with one synchronous
 *   Gate.setHotlist(table, this): a tap is decided with the old list or the new, never a mix.
 * - following: each delta is applied to the live table synchronously inside onDelta (a delete and
 *   an add of one number: Hotlist.delete is backward-shift deletion, Knuth 6.4 Algorithm R), and the
 *   revision moves with it in the same step. Decisions are synchronous too (gate.ts decided()), so a
 *   tap sees the list and the revision wholly before or wholly after a delta; a batch the feed
 *   delivers in one synchronous run is seen whole.
 * - FeedGapError from watch (history purged past our revision): full resync (loading).
 * - any other feed error: counted, 'error' event, backoff (doubling, capped), then watch again from
 *   the revision held: the list keeps serving, its age grows.
 * - a malformed delta: FleetError FEED_DELTA_MALFORMED counted (stats.malformed) and emitted, the
 *   delta skipped; the follower goes on. A delta at or below the revision held (a repeat after a
 *   reconnect) is skipped and counted.
 * - pruning: an entry whose expiry is past (the Oslo date after it, rule 6 of spec section 7) is
 *   removed, at load, on put, and when the Oslo date changes (checked every pruneEveryMs): the gate
 *   refuses such a card as expired anyway.
 *
 * `updatedAtMs` (and `ageMs`) count from the last snapshot, delta or caught-up signal: the gate's
 * policy maxHotlistAgeHours measures from it. Feeds that can, signal caught-up again on heartbeats.
 */
import { EventEmitter } from 'node:events';
import { Hotlist } from '../hotlist/table.js';
import { OsloCalendar } from '../codec/osloCalendar.js';
import { cardNumberValue } from '../codec/hotlistEntry.js';
import { needFunction, needObject } from '../codec/guard.js';
import { waitFor } from '../transport/wait.js';
import type { HotlistLookup } from '../codec/gateDecision.js';
import type { HotlistSource } from '../gate/gate.js';
import { FeedGapError, FleetError } from './errors.js';
import { checkFeedDelta, checkFeedEntry, type CheckedEntry } from './feedEntry.js';
import type { FeedDelta, FeedSnapshot, HotlistFeed } from './contracts.js';

export type FollowerState = 'idle' | 'loading' | 'following' | 'retrying' | 'stopped';

export interface HotlistFollowerOptions {
  feed: HotlistFeed;
  /** Receives each new table with this follower as its source (a Gate; anything with setHotlist). */
  gate?: { setHotlist(h: HotlistLookup, source?: HotlistSource): void };
  /** Epoch ms. Default Date.now. */
  clock?: () => number;
  /** First and longest wait after a feed error. Default 200 ms .. 30 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A snapshot that takes longer fails (FEED_UNAVAILABLE) and is retried. Default 60 s. */
  snapshotTimeoutMs?: number;
  /** How often the Oslo date is checked for pruning. Default 60 s. */
  pruneEveryMs?: number;
}

export interface FollowerStats {
  snapshots: number;
  /** Full resyncs after FeedGapError. */
  resyncs: number;
  deltas: number;
  /** Deltas at or below the revision held (repeats). */
  skipped: number;
  /** Malformed deltas and snapshot entries (FEED_DELTA_MALFORMED), skipped. */
  malformed: number;
  /** Entries removed because their expiry is past. */
  pruned: number;
  /** Feed errors other than gaps (each followed by a backoff). */
  feedErrors: number;
}

const BUILD_CHUNK = 65_536;

export interface HotlistFollower {
  on(event: 'error', listener: (e: FleetError) => void): this;
  on(event: 'state', listener: (s: FollowerState) => void): this;
  on(event: 'swap', listener: (revision: number) => void): this;
  on(event: 'caught-up', listener: (revision: number) => void): this;
}

export class HotlistFollower extends EventEmitter implements HotlistSource {
  private table = new Hotlist();
  /** Card number -> expiry (days since 1970): what pruning and `size` need, beside the table. */
  private expiries = new Map<number, number>();
  private rev = 0;
  private updated = 0;
  private status: FollowerState = 'idle';
  private caughtUp = false;
  private readonly feed: HotlistFeed;
  private readonly gate: HotlistFollowerOptions['gate'];
  private readonly clock: () => number;
  private readonly calendar = new OsloCalendar();
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly snapshotTimeoutMs: number;
  private readonly pruneEveryMs: number;
  private prunedDay = -Infinity;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  readonly stats: FollowerStats = { snapshots: 0, resyncs: 0, deltas: 0, skipped: 0, malformed: 0, pruned: 0, feedErrors: 0 };

  constructor(opts: HotlistFollowerOptions) {
    super();
    needObject('HotlistFollower', 'opts', opts);
    needObject('HotlistFollower', 'opts.feed', opts.feed);
    needFunction('HotlistFollower', 'opts.feed.snapshot', opts.feed.snapshot);
    needFunction('HotlistFollower', 'opts.feed.watch', opts.feed.watch);
    if (opts.gate !== undefined) needFunction('HotlistFollower', 'opts.gate.setHotlist', opts.gate?.setHotlist);
    this.feed = opts.feed;
    this.gate = opts.gate;
    this.clock = opts.clock ?? Date.now;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.snapshotTimeoutMs = opts.snapshotTimeoutMs ?? 60_000;
    this.pruneEveryMs = opts.pruneEveryMs ?? 60_000;
  }

  /** The revision the live table is at (0 before the first snapshot). */
  get revision(): number {
    return this.rev;
  }

  /** Epoch ms of the last snapshot, delta or caught-up signal (0: none yet). */
  get updatedAtMs(): number {
    return this.updated;
  }

  /** Milliseconds since updatedAtMs (Infinity before the first snapshot). */
  ageMs(now = this.clock()): number {
    return this.updated === 0 ? Infinity : now - this.updated;
  }

  get state(): FollowerState {
    return this.status;
  }

  /** The live table (what the gate decides with). */
  get hotlist(): Hotlist {
    return this.table;
  }

  /** Card numbers listed. */
  get size(): number {
    return this.expiries.size;
  }

  /** Starts following (once). Returns at once; ready() waits for the first caught-up list. */
  start(): this {
    if (this.loop) throw new Error('HotlistFollower already started');
    this.loop = this.run();
    this.pruneTimer = setInterval(() => this.pruneIfNewDay(), this.pruneEveryMs);
    this.pruneTimer.unref();
    return this;
  }

  /** Resolves once a snapshot is loaded and the deltas after it delivered; WaitTimeoutError after timeoutMs. */
  ready(timeoutMs = 60_000, signal?: AbortSignal): Promise<void> {
    return waitFor<void>({
      what: 'the hot list loaded and caught up with its feed',
      timeoutMs,
      signal,
      subscribe: (resolve) => {
        if (this.caughtUp) resolve();
        const on = (): void => resolve();
        this.on('caught-up', on);
        return () => this.off('caught-up', on);
      },
    });
  }

  /** Stops following; the table stays as it is (and with the gate). */
  async stop(): Promise<void> {
    this.stopper.abort();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.loop;
    this.setState('stopped');
  }

  private setState(s: FollowerState): void {
    if (this.status === s) return;
    this.status = s;
    this.emit('state', s);
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    let needSnapshot = true;
    let backoff = this.retryMinMs;
    while (!signal.aborted) {
      try {
        if (needSnapshot) {
          this.setState('loading');
          await this.load(signal);
          needSnapshot = false;
        }
        this.setState('following');
        await this.feed.watch(this.rev, { onDelta: this.onDelta, onCaughtUp: this.onCaughtUp }, signal);
        backoff = this.retryMinMs;
      } catch (e) {
        if (signal.aborted) break;
        if (e instanceof FeedGapError) {
          this.stats.resyncs++;
          needSnapshot = true;
          this.report(e);
          continue;
        }
        this.stats.feedErrors++;
        this.report(e instanceof FleetError ? e : new FleetError('FEED_UNAVAILABLE', (e as Error)?.message ?? String(e), { cause: e }));
        this.setState('retrying');
        // Jitter (0.5 .. 1 of the step) so a fleet reconnecting after an outage does not come back at once.
        await sleep(backoff * (0.5 + Math.random() / 2), signal);
        backoff = Math.min(backoff * 2, this.retryMaxMs);
      }
    }
  }

  /** Loads a snapshot into a new table aside, then swaps it in in one synchronous step. */
  private async load(signal: AbortSignal): Promise<void> {
    const attempt = new AbortController();
    const onStop = (): void => attempt.abort();
    signal.addEventListener('abort', onStop);
    let snap: FeedSnapshot;
    try {
      snap = await waitFor<FeedSnapshot>({
        what: 'a hot-list snapshot from the feed',
        timeoutMs: this.snapshotTimeoutMs,
        signal,
        timeoutError: (ms) => new FleetError('FEED_UNAVAILABLE', `no snapshot within ${ms} ms`),
        subscribe: (resolve, reject) => {
          this.feed.snapshot(attempt.signal).then(resolve, reject);
          return () => attempt.abort();
        },
      });
    } finally {
      signal.removeEventListener('abort', onStop);
    }
    if (!snap || typeof snap !== 'object' || !Number.isSafeInteger(snap.revision) || snap.revision < 0 || !Array.isArray(snap.entries))
      throw new FleetError('FEED_UNAVAILABLE', 'the feed gave a snapshot that is not {revision, takenAt, entries}');
    const today = this.calendar.day(this.clock());
    const table = new Hotlist(snap.entries.length);
    const expiries = new Map<number, number>();
    for (let i = 0; i < snap.entries.length; i++) {
      if (i > 0 && i % BUILD_CHUNK === 0) {
        await new Promise<void>((r) => setImmediate(r));
        signal.throwIfAborted();
      }
      const e = this.checked(snap.entries[i]);
      if (e === undefined) continue;
      if (e.expiryDay < today) {
        this.stats.pruned++;
        continue;
      }
      if (expiries.has(e.cardNumber)) table.delete(e.cardNumber);
      table.add(e.cardNumber, e.minIssue);
      expiries.set(e.cardNumber, e.expiryDay);
    }
    // The swap: table, expiries, revision and the gate's list in one synchronous step.
    this.table = table;
    this.expiries = expiries;
    this.rev = snap.revision;
    this.updated = this.clock();
    this.prunedDay = today;
    this.stats.snapshots++;
    this.gate?.setHotlist(table, this);
    this.emit('swap', this.rev);
  }

  private checked(entry: unknown): CheckedEntry | undefined {
    try {
      return checkFeedEntry(entry);
    } catch (e) {
      this.stats.malformed++;
      this.report(e as FleetError);
      return undefined;
    }
  }

  /** One delta, applied synchronously to the live table. Never throws (a feed's loop must not die of it). */
  private readonly onDelta = (raw: FeedDelta): void => {
    let d: FeedDelta;
    try {
      d = checkFeedDelta(raw);
    } catch (e) {
      this.stats.malformed++;
      this.report(e as FleetError);
      return;
    }
    if (d.revision <= this.rev) {
      this.stats.skipped++;
      return;
    }
    if (d.op === 'put') {
      const e = checkFeedEntry(d.entry);
      this.table.delete(e.cardNumber);
      if (e.expiryDay < this.calendar.day(this.clock())) {
        this.expiries.delete(e.cardNumber);
        this.stats.pruned++;
      } else {
        this.table.add(e.cardNumber, e.minIssue);
        this.expiries.set(e.cardNumber, e.expiryDay);
      }
    } else {
      const n = cardNumberValue(d.cardNumber);
      this.table.delete(n);
      this.expiries.delete(n);
    }
    this.rev = d.revision;
    this.updated = this.clock();
    this.stats.deltas++;
  };

  private readonly onCaughtUp = (): void => {
    this.updated = this.clock();
    if (!this.caughtUp) {
      this.caughtUp = true;
      this.pruneIfNewDay();
    }
    this.emit('caught-up', this.rev);
  };

  /** Removes entries whose expiry is before the Oslo date (rule 6 refuses those cards anyway). */
  private pruneIfNewDay(): void {
    const today = this.calendar.day(this.clock());
    if (today === this.prunedDay) return;
    this.prunedDay = today;
    for (const [n, expiry] of this.expiries) {
      if (expiry < today) {
        this.table.delete(n);
        this.expiries.delete(n);
        this.stats.pruned++;
      }
    }
  }

  private report(e: FleetError): void {
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', e);
    } catch {
      // A listener's fault must not stop the follower.
    }
  }
}

/** Waits `ms`, or less when `signal` aborts (then resolves: the caller checks the signal). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return waitFor<void>({
    what: 'the retry delay',
    signal,
    subscribe: (resolve) => {
      const t = setTimeout(resolve, ms);
      return () => clearTimeout(t);
    },
  }).catch(() => undefined);
}
