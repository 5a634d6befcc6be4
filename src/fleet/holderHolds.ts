/**
 * Decisions held back in an outbox's memory while their gate reads the holder fields (issue 18
 * part 1). The gate emits 'decision' (the outbox queues the event), then 'holder-start' (held
 * here), then, after the extra card commands, 'holder'. A held event is written once its holder
 * event came or `waitMs` passed, whichever is first; the events queued after it wait with it, so
 * the seqs keep the decisions' order. Only the event's writing waits: the decision (the barrier)
 * was taken before any of this.
 *
 * Why hold instead of writing a completion later: the outbox's lines are the sink's events, one per
 * seq (contracts.ts: (gateId, seq) is stored once); a second line for the same seq would be ignored
 * by every sink. A hold costs a card's extra air time (tens of ms) of in-memory time, bounded by
 * waitMs; a holder that comes later is counted (OutboxStats.holdersLate) and the list shows the
 * name missing until a later tap of the card brings it.
 */
import type { GateHolder } from '../gate/holderRead.js';

interface Held {
  holder?: GateHolder;
  done: boolean;
  timer: ReturnType<typeof setTimeout>;
}

export class HolderHolds {
  private readonly waiting = new Map<object, Held>();
  private waiters: (() => void)[] = [];

  constructor(
    private readonly waitMs: number,
    private readonly kick: () => void,
  ) {}

  /** Holds `event` (just queued) until complete() or waitMs. */
  hold(event: object): void {
    if (this.waiting.has(event)) return;
    // Not unref'd: a flush() waiting on this hold must not see the process exit under it (at most waitMs).
    const timer = setTimeout(() => this.release(event), this.waitMs);
    this.waiting.set(event, { done: false, timer });
  }

  /** The holder read of `event` ended (with fields or without): false when it came too late. */
  complete(event: object, holder: GateHolder | undefined): boolean {
    const h = this.waiting.get(event);
    if (h === undefined || h.done) return false;
    clearTimeout(h.timer);
    h.done = true;
    if (holder !== undefined) h.holder = holder;
    this.wake();
    return true;
  }

  /** How many events at the head of `queue` may be written now. */
  readyCount(queue: readonly object[]): number {
    if (this.waiting.size === 0) return queue.length;
    for (let i = 0; i < queue.length; i++) {
      const h = this.waiting.get(queue[i]);
      if (h !== undefined && !h.done) return i;
    }
    return queue.length;
  }

  /** The holder fields for `event` as it is written (and forgets it). */
  take(event: object): GateHolder | undefined {
    const h = this.waiting.get(event);
    if (h === undefined) return undefined;
    clearTimeout(h.timer);
    this.waiting.delete(event);
    return h.holder;
  }

  /** Resolves at the next complete() or time-out (flush waits on it; at most waitMs away). */
  released(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(event: object): void {
    const h = this.waiting.get(event);
    if (h === undefined || h.done) return;
    h.done = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    this.kick();
  }
}
