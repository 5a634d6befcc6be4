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
  REASON_OK,
  REASONS,
  type CompiledPolicy,
  type GateDecision,
  type GatePolicy,
  type GateReason,
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
import { needBytesOfLength, needObject } from '../codec/guard.js';
import { TapText } from './tapText.js';

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
  reason: GateReason;
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
}

const EMPTY_HOTLIST: HotlistLookup = { minIssueOf: () => 0 };
const CATEGORY_NAMES: Record<number, CardCategory> = { [CATEGORY_CONSTRUCTION]: 'construction', [CATEGORY_CLEANING]: 'cleaning', [CATEGORY_VOID]: 'void' };

export interface Gate {
  on(event: 'decision', listener: (d: GateDecisionEvent) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export class Gate extends EventEmitter {
  private hotlist: HotlistLookup;
  private policy: CompiledPolicy;
  private readonly readMaster: Uint8Array;
  private readonly clock: () => number;
  private readonly calendar = new OsloCalendar();
  private readonly text = new TapText();
  private readonly fields = newGateBlockOut();
  private readonly keyCache = new Map<string, Uint8Array>();
  private readonly keyCacheSize: number;
  private reader: CardReader | undefined;
  /** Taps begun and not yet decided, and what idle() callers wait on (a count, not a Set of promises:
   *  a `finally` per tap cost two promises and a closure, issue 14 item 4). */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  /** Counters since construction. */
  readonly stats = { taps: 0, allowed: 0, denied: 0, invalid: 0, readerErrors: 0 };

  constructor(opts: GateOptions) {
    super();
    needObject('Gate', 'opts', opts);
    needBytesOfLength('Gate', 'opts.readMaster', opts.readMaster, [16]);
    this.readMaster = opts.readMaster.slice();
    this.hotlist = opts.hotlist ?? EMPTY_HOTLIST;
    this.policy = compilePolicy(opts.policy ?? {});
    this.clock = opts.clock ?? Date.now;
    this.keyCacheSize = opts.keyCacheSize ?? 4096;
  }

  /** Swaps the hot list in one assignment: a tap uses the old list or the new one, never a mix. */
  setHotlist(h: HotlistLookup): void {
    this.hotlist = h;
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

  /** Stops serving (the reader stays open; its owner closes it) after the taps in progress. */
  async stop(): Promise<void> {
    this.reader?.off('card', this.onCard as never);
    this.reader?.off('error', this.onReaderError as never);
    this.reader = undefined;
    await this.idle();
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
   * Promise callbacks rather than an async function: awaiting the two I/O calls in an async function
   * cost about 700 bytes a tap (the suspended frame, a reaction and a job per await), these callbacks
   * about 450; with the event (about 300) the gate adds about 650 bytes to the card's own I/O on the
   * virtual reader (bench/cases/gate.ts gate-e2e/virtual minus gate-e2e/virtual-io, bounded in
   * test/integration/gate/alloc-fast-paths.test.ts).
   */
  tap(card: MifareClassicCard): Promise<GateDecisionEvent> {
    this.inFlight++;
    this.stats.taps++;
    const detected = performance.now();
    let uid = '';
    let io: Promise<Uint8Array>;
    try {
      uid = this.text.uidHex(card.uid);
      io = card.authenticate(GATE_BLOCK, 'A', this.keyFor(uid, card.uid)).then(() => card.readBlock(GATE_BLOCK));
    } catch (e) {
      io = Promise.reject(e);
    }
    return io.then(
      (block) => this.decided(uid, block, undefined, detected),
      (e: unknown) => this.decided(uid, undefined, e, detected),
    );
  }

  private decided(uid: string, block: Uint8Array | undefined, failure: unknown, detected: number): GateDecisionEvent {
    try {
      const tRead = performance.now();
      let event: GateDecisionEvent;
      if (block === undefined) {
        const cardError: CardErrorCode = failure instanceof CardError ? failure.code : 'IO';
        if (!(failure instanceof CardError)) this.report(failure as Error);
        event = this.event(false, 'invalid', uid, detected, tRead, tRead, tRead, cardError);
      } else {
        // Decode (fast path, into the reused object) and decide synchronously: no await between them,
        // so a hot-list swap cannot land in the middle of a decision.
        const f = this.fields;
        const status = decodeGateBlockInto(block, f);
        const tDecode = performance.now();
        if (status !== 0) {
          event = this.event(false, 'invalid', uid, detected, tRead, tDecode, tDecode, statusCode(status));
        } else {
          const now = this.clock();
          const reason = decideFields(f, this.calendar.day(now), this.hotlist, this.policy);
          const tDecide = performance.now();
          event = this.event(reason === REASON_OK, REASONS[reason], uid, detected, tRead, tDecode, tDecide, undefined, now, f);
        }
      }
      if (event.allow) this.stats.allowed++;
      else if (event.reason === REASONS[REASON_INVALID]) this.stats.invalid++;
      else this.stats.denied++;
      // Each listener on its own: one that throws must neither stop the gate nor starve the others
      // (EventEmitter.emit would stop at the first throw). rawListeners, not listeners: a `once`
      // listener must get its wrapper called, which removes it (listeners() unwraps it, and the
      // once-listeners would pile up: 100 000 taps with `once` spun in this loop).
      for (const listener of this.rawListeners('decision') as ((d: GateDecisionEvent) => void)[]) {
        try {
          listener.call(this, event);
        } catch (e) {
          this.report(e as Error);
        }
      }
      return event;
    } finally {
      this.settled();
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

  private event(
    allow: boolean,
    reason: GateReason,
    uid: string,
    detected: number,
    tRead: number,
    tDecode: number,
    tDecide: number,
    error?: DecodeErrorCode | CardErrorCode,
    now = this.clock(),
    f?: GateBlockOut,
  ): GateDecisionEvent {
    const timings = { totalUs: us(tDecide - detected), readUs: us(tRead - detected), decodeUs: us(tDecode - tRead), decideUs: us(tDecide - tDecode) };
    const at = this.text.isoInstant(now);
    // One object literal per shape, its fields in the order JSON output has always had: adding the
    // fields one by one grew the object's property store twice per tap.
    if (f !== undefined) {
      const cardNumber = String(f.cardNumber);
      const orgNumber = String(f.orgNumber).padStart(9, '0');
      const expiry = this.text.isoDate(EXPIRY_EPOCH_DAYS + f.expiryDay);
      return { allow, reason, uid, at, timings, cardNumber, orgNumber, category: CATEGORY_NAMES[f.category], expiry, issue: f.issue };
    }
    return error === undefined ? { allow, reason, uid, at, timings } : { allow, reason, uid, at, timings, error };
  }

  private keyFor(uidHex: string, uid: Uint8Array): Uint8Array {
    let k = this.keyCache.get(uidHex);
    if (k === undefined) {
      if (this.keyCache.size >= this.keyCacheSize) this.keyCache.clear();
      k = deriveKey(this.readMaster, uid, 1, 'A');
      this.keyCache.set(uidHex, k);
    }
    return k;
  }

  private report(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }
}

/** performance.now() is in ms: microseconds with three decimals. */
function us(ms: number): number {
  return Math.round(ms * 1_000_000) / 1000;
}

/** The section 7 decision part of an event (what a `gate` vector expects). */
export function decisionPart(e: GateDecisionEvent): GateDecision {
  needObject('decisionPart', 'event', e);
  return e.error === undefined ? { allow: e.allow, reason: e.reason } : { allow: e.allow, reason: e.reason, error: e.error as DecodeErrorCode };
}
