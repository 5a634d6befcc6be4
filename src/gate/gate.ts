/**
 * The gate (spec section 7 at a turnstile): on every card presented on a CardReader, one
 * authentication and one read of block 4 (spec section 3: key A of sector 1, derived from the read
 * master), the gate-block decode on the fast path, the decision, and a typed `decision` event with
 * its timings. It never stops on input: a blank, foreign, corrupt or pulled card is decided
 * `invalid` with the reason in `error`; a reader error goes to the `error` event; the gate keeps
 * serving until stop().
 *
 * The read does the same two operations as gateRead (src/card/readers.ts) but hands the raw block
 * to decodeGateBlockInto instead of the allocating public decoder, so the software part of a tap
 * stays in microseconds (bench/cases/gate.ts, "tap/virtual").
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import {
  compilePolicy,
  decideFields,
  REASON_INVALID,
  REASON_HOTLIST_STALE,
  REASON_OK,
  EVENT_REASONS,
  type CompiledPolicy,
  type GateDecision,
  type GatePolicy,
  type GateEventReason,
  type HotlistLookup,
} from '../codec/gateDecision.js';
import { decodeGateBlockInto, newGateBlockOut, statusCode, type GateBlockOut } from '../codec/gateBlockDecode.js';
import { CATEGORY_CLEANING, CATEGORY_CONSTRUCTION, CATEGORY_VOID } from '../codec/recordLayout.js';
import { OsloCalendar } from '../codec/osloCalendar.js';
import { EXPIRY_EPOCH_DAYS } from '../codec/dates.js';
import type { DecodeErrorCode } from '../codec/errors.js';
import type { CardCategory } from '../codec/types.js';
import { CardError, type CardErrorCode, type CardReader, type MifareClassicCard } from '../transport/card.js';
import { deriveKey } from '../card/kdf.js';
import { GATE_BLOCK } from '../card/layout.js';
import { argumentError, needBytesOfLength, needObject } from '../codec/guard.js';
import { needHotlistAndSource, type HotlistSource } from './hotlistSource.js';
import { TapText } from './tapText.js';
import { TapRun } from './tapRun.js';
import { UidCache } from './uidCache.js';
import { HolderReads, type GateHolderEvent, type HolderReadOptions, type HolderStats } from './holderRead.js';

/** Microseconds spent per step of one tap. */
export interface GateTimings {
  /** Card detected (the reader's 'card' event, or tap() called) to decision. */
  totalUs: number;
  /** Authentication + read of block 4 (the card's air time on a real reader). */
  readUs: number;
  decodeUs: number;
  decideUs: number;
}

export interface GateDecisionEvent {
  allow: boolean;
  reason: GateEventReason;
  /** With reason `invalid`: the section 2 decode code, or the card error (AUTH_FAILED, CARD_REMOVED, ...). */
  error?: DecodeErrorCode | CardErrorCode;
  /** UID of the card, hex. */
  uid: string;
  /** The instant decided at (ISO 8601, UTC). */
  at: string;
  /** Gate-block fields, when the block decoded. */
  cardNumber?: string;
  orgNumber?: string;
  category?: CardCategory;
  expiry?: string;
  issue?: number;
  /** With a followed hot list (setHotlist with a source), on decoded taps: the revision decided with. */
  hotlistRevision?: number;
  /** Present (true) when that list was older than the policy's maxHotlistAgeHours. */
  staleHotlist?: boolean;
  /**
   * With a followed hot list, on decoded taps: how old that list was at the decision instant, in
   * whole ms on the gate's clock (`at` minus the source's updatedAtMs; 0 when the source's instant
   * is ahead of the gate's clock). The site page shows it (issue 18 part 5).
   */
  hotlistAgeMs?: number;
  timings: GateTimings;
}

export interface GateOptions {
  /** The read master (16 bytes): gates hold the read master only (spec section 3). */
  readMaster: Uint8Array;
  hotlist?: HotlistLookup;
  policy?: GatePolicy;
  /** Clock for the decision instant (epoch ms). Default Date.now. */
  clock?: () => number;
  /** Derived keys kept per UID (a KDF is an AES-CMAC; repeat taps skip it). Default 4096. */
  keyCacheSize?: number;
  /**
   * Read the holder fields after each decision (issue 18 part 1; docs/gate.md "Holder data"):
   * the rest of the record, verified, emitted as a 'holder' event. Off when absent.
   */
  holderRead?: HolderReadOptions;
}

type DecisionListener = (d: GateDecisionEvent) => void;
const [DETECTED, READ, DECODED, DECIDED] = [0, 1, 2, 3]; // indices into Gate.marks
const MAX_IDLE_RUNS = 64; // TapRuns kept: as many as taps ever run at once, within reason
const EMPTY_HOTLIST: HotlistLookup = { minIssueOf: () => 0 };
const CATEGORY_NAMES: Record<number, CardCategory> = { [CATEGORY_CONSTRUCTION]: 'construction', [CATEGORY_CLEANING]: 'cleaning', [CATEGORY_VOID]: 'void' };

export interface Gate {
  on(event: 'decision', listener: (d: GateDecisionEvent) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  /** A holder read begins for this decision (after every 'decision' listener ran, before its first command). */
  on(event: 'holder-start', listener: (d: GateDecisionEvent) => void): this;
  on(event: 'holder', listener: (h: GateHolderEvent) => void): this;
}

export class Gate extends EventEmitter {
  private hotlist: HotlistLookup;
  private source: HotlistSource | null = null;
  private policy: CompiledPolicy;
  private readonly readMaster: Uint8Array;
  private readonly clock: () => number;
  private readonly calendar = new OsloCalendar();
  private readonly text = new TapText();
  private readonly fields = newGateBlockOut();
  private readonly cards: UidCache;
  private reader: CardReader | undefined;
  /** performance.now() of the tap being decided, by step: in a Float64Array, not boxed between calls. */
  private readonly marks = new Float64Array(4);
  /** TapRuns not in use (their callbacks are bound once; see tap). */
  private readonly runs: TapRun<GateDecisionEvent>[] = [];
  /** Taps begun and not yet decided, and what idle() callers wait on (a count, not a Set of promises:
   *  a `finally` per tap cost two promises and a closure, issue 14 item 4). */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Counters since construction. */
  readonly stats = { taps: 0, allowed: 0, denied: 0, invalid: 0, readerErrors: 0 };
  private readonly holders: HolderReads | undefined;

  constructor(opts: GateOptions) {
    super();
    needObject('Gate', 'opts', opts);
    needBytesOfLength('Gate', 'opts.readMaster', opts.readMaster, [16]);
    this.readMaster = opts.readMaster.slice();
    this.hotlist = opts.hotlist ?? EMPTY_HOTLIST;
    this.policy = compilePolicy(opts.policy ?? {});
    this.clock = opts.clock ?? Date.now;
    if (opts.holderRead !== undefined) {
      needObject('Gate', 'opts.holderRead', opts.holderRead);
      if (opts.holderRead.known !== undefined && typeof opts.holderRead.known !== 'function') throw argumentError('Gate', 'opts.holderRead.known', 'a function (cardNumber) => boolean', opts.holderRead.known);
      this.holders = new HolderReads(opts.holderRead, this.readMaster, (name, value) => this.safeEmit(name, value), (e) => this.report(e));
    }
    this.cards = new UidCache(opts.keyCacheSize ?? 4096, (uid) => this.text.uidHex(uid), (uid) => deriveKey(this.readMaster, uid, 1, 'A'));
  }

  /**
   * Swaps the hot list in one step: a tap uses the old list or the new one, never a mix. `source`:
   * the revision and age of a followed list (its events carry the revision, the policy's
   * maxHotlistAgeHours applies); without it (a file's list) neither does.
   */
  setHotlist(h: HotlistLookup, source?: HotlistSource): void {
    needHotlistAndSource('Gate.setHotlist', h, source);
    this.hotlist = h;
    this.source = source ?? null;
  }

  /** Swaps the site policy (validated first; a bad policy throws and the old one stays). */
  setPolicy(p: GatePolicy): void {
    this.policy = compilePolicy(p);
  }

  /** Serves `reader`: every 'card' event becomes a tap. */
  start(reader: CardReader): this {
    if (this.reader) throw new Error('gate already started');
    this.reader = reader;
    reader.on('card', this.onCard);
    reader.on('error', this.onReaderError);
    return this;
  }

  /** Stops serving (the reader stays open; its owner closes it) after the taps and holder reads in progress. */
  async stop(): Promise<void> {
    this.reader?.off('card', this.onCard as never);
    this.reader?.off('error', this.onReaderError as never);
    this.reader = undefined;
    await this.idle();
    await this.holders?.idle();
  }

  /** Counters of the holder reads (undefined without opts.holderRead). */
  get holderStats(): HolderStats | undefined {
    return this.holders?.stats;
  }

  /** Resolves when every tap in progress has been decided. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private readonly onCard = (card: MifareClassicCard): void => {
    void this.tap(card);
  };

  private readonly onReaderError = (err: Error): void => {
    this.stats.readerErrors++;
    this.report(err);
  };

  /**
   * Decides one presented card. Never rejects: every failure is a decision.
   *
   * Promise callbacks, not an async function (two awaits cost about 600 bytes a tap), and a pooled
   * TapRun's, bound once (bench/cases/gate.ts: where a tap's bytes go).
   */
  tap(card: MifareClassicCard): Promise<GateDecisionEvent> {
    this.inFlight++;
    this.stats.taps++;
    const run = this.runs.pop() ?? new TapRun(this.finish);
    run.card = card;
    run.detected = performance.now();
    let io: Promise<Uint8Array>;
    try {
      run.uid = this.cards.hex(card.uid);
      io = card.authenticate(GATE_BLOCK, 'A', this.cards.key()).then(run.read);
    } catch (e) {
      io = Promise.reject(e);
    }
    return io.then(run.ok, run.failed);
  }

  /** Called once per tap by its TapRun: the run goes back to the pool. */
  private readonly finish = (run: TapRun<GateDecisionEvent>, block: Uint8Array | undefined, failure: unknown): GateDecisionEvent => {
    const uid = run.uid;
    const card = this.holders === undefined || block === undefined ? undefined : run.card;
    this.marks[DETECTED] = run.detected;
    run.card = undefined;
    run.uid = '';
    if (this.runs.length < MAX_IDLE_RUNS) this.runs.push(run);
    // Without holder reads, the same tail call as before issue 18 (bench gate-e2e/virtual's bytes).
    if (card === undefined) return this.decided(uid, block, failure);
    return this.followHolder(card, this.decided(uid, block, failure));
  };

  /** The holder read starts only now: the decision has been emitted to every listener (issue 18). */
  private followHolder(card: MifareClassicCard, event: GateDecisionEvent): GateDecisionEvent {
    this.holders!.follow(card, event);
    return event;
  }

  /** Decodes, decides and emits, synchronously (the marks are the gate's, used by one tap at a time). */
  private decided(uid: string, block: Uint8Array | undefined, failure: unknown): GateDecisionEvent {
    const t = this.marks;
    try {
      t[READ] = t[DECODED] = t[DECIDED] = performance.now();
      let event: GateDecisionEvent;
      if (block === undefined) {
        const cardError: CardErrorCode = failure instanceof CardError ? failure.code : 'IO';
        if (!(failure instanceof CardError)) this.report(failure as Error);
        event = this.invalid(uid, cardError);
      } else {
        // Decode (fast path, into the reused object) and decide synchronously: no await between them,
        // so a hot-list swap cannot land in the middle of a decision.
        const f = this.fields;
        const status = decodeGateBlockInto(block, f);
        t[DECODED] = t[DECIDED] = performance.now();
        if (status !== 0) {
          event = this.invalid(uid, statusCode(status));
        } else {
          const now = this.clock();
          let reason = decideFields(f, this.calendar.day(now), this.hotlist, this.policy);
          // A followed list's age (issue 17): read with the lookup, in this synchronous step.
          const src = this.source;
          // One age for both the policy and the event: the decision instant `now` minus the list's.
          const age = src === null ? 0 : now - src.updatedAtMs;
          const stale = src !== null && age > this.policy.maxHotlistAgeMs;
          if (stale && reason === REASON_OK && this.policy.staleDeny) reason = REASON_HOTLIST_STALE;
          t[DECIDED] = performance.now();
          event = this.event(reason === REASON_OK, EVENT_REASONS[reason], uid, undefined, now, f, src, stale, age);
        }
      }
      if (event.allow) this.stats.allowed++;
      else if (event.reason === EVENT_REASONS[REASON_INVALID]) this.stats.invalid++;
      else this.stats.denied++;
      // Each listener on its own: one that throws must neither stop the gate nor starve the others
      // (emit stops at the first throw). rawListeners, not listeners: a `once` wrapper must be called
      // to remove itself (else 100 000 taps with `once` spun here). One listener is kept as the
      // function itself in _events (Node lib/events.js): called from there, no array per tap.
      const one = (this as unknown as { _events?: Record<string, unknown> })._events?.decision;
      if (typeof one === 'function') this.deliver(one as DecisionListener, event);
      else for (const listener of this.rawListeners('decision') as DecisionListener[]) this.deliver(listener, event);
      return event;
    } finally {
      this.settled();
    }
  }

  private deliver(listener: DecisionListener, event: GateDecisionEvent): void {
    try {
      listener.call(this, event);
    } catch (e) {
      this.report(e as Error);
    }
  }

  /** One tap decided: wakes idle() callers when none is left. */
  private settled(): void {
    if (--this.inFlight === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  /**
   * An invalid tap consults no list, but a gate that follows one still says which list it had and
   * how old it was (issue 18 part 5): the site page's gates table shows the revision and age of a
   * gate's latest event, and a blank card must not turn a following gate into "no feed" there.
   */
  private invalid(uid: string, error: DecodeErrorCode | CardErrorCode): GateDecisionEvent {
    const src = this.source;
    if (src === null) return this.event(false, 'invalid', uid, error);
    const now = this.clock();
    return this.event(false, 'invalid', uid, error, now, undefined, src, false, now - src.updatedAtMs);
  }

  private event(
    allow: boolean,
    reason: GateEventReason,
    uid: string,
    error?: DecodeErrorCode | CardErrorCode,
    now = this.clock(),
    f?: GateBlockOut,
    src: HotlistSource | null = null,
    stale = false,
    age = 0,
  ): GateDecisionEvent {
    const t = this.marks;
    // performance.now() is in ms: microseconds with three decimals. Written out, not a helper: a
    // helper left out of the inlining returned each number boxed (about 60 bytes a tap).
    const timings = {
      totalUs: Math.round((t[DECIDED] - t[DETECTED]) * 1e6) / 1000,
      readUs: Math.round((t[READ] - t[DETECTED]) * 1e6) / 1000,
      decodeUs: Math.round((t[DECODED] - t[READ]) * 1e6) / 1000,
      decideUs: Math.round((t[DECIDED] - t[DECODED]) * 1e6) / 1000,
    };
    const at = this.text.isoInstant(now);
    // One object literal per shape, its fields in the order JSON output has always had: adding the
    // fields one by one grew the object's property store twice per tap.
    if (f !== undefined) {
      const cardNumber = String(f.cardNumber);
      const orgNumber = String(f.orgNumber).padStart(9, '0');
      const expiry = this.text.expiryDate(EXPIRY_EPOCH_DAYS + f.expiryDay);
      const category = CATEGORY_NAMES[f.category];
      if (src === null) return { allow, reason, uid, at, timings, cardNumber, orgNumber, category, expiry, issue: f.issue };
      const hotlistRevision = src.revision;
      // Whole ms, never negative (a clock stepped back, a source on another clock; NaN: 0 too): the
      // store's column is a count of ms (src/fleet/store/eventShape.ts refuses anything else).
      const hotlistAgeMs = age > 0 ? Math.round(age) : 0;
      if (stale) return { allow, reason, uid, at, timings, cardNumber, orgNumber, category, expiry, issue: f.issue, hotlistRevision, staleHotlist: true, hotlistAgeMs };
      return { allow, reason, uid, at, timings, cardNumber, orgNumber, category, expiry, issue: f.issue, hotlistRevision, hotlistAgeMs };
    }
    if (src !== null) {
      const hotlistAgeMs = age > 0 ? Math.round(age) : 0;
      return { allow, reason, uid, at, timings, ...(error === undefined ? {} : { error }), hotlistRevision: src.revision, hotlistAgeMs };
    }
    return error === undefined ? { allow, reason, uid, at, timings } : { allow, reason, uid, at, timings, error };
  }

  private safeEmit(name: string, value: unknown): void {
    for (const listener of this.rawListeners(name) as ((v: unknown) => void)[]) {
      try {
        listener.call(this, value);
      } catch (e) {
        this.report(e as Error);
      }
    }
  }

  private report(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }
}

/** The section 7 decision part of an event (what a `gate` vector expects); `hotlist-stale` is the gate's own reason. */
export function decisionPart(e: GateDecisionEvent): Omit<GateDecision, 'reason'> & { reason: GateEventReason } {
  needObject('decisionPart', 'event', e);
  return e.error === undefined ? { allow: e.allow, reason: e.reason } : { allow: e.allow, reason: e.reason, error: e.error as DecodeErrorCode };
}
