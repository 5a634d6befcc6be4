/**
 * The gate's durable outbox (issue 17 part 2): every decision gets the gate's next `seq` and is
 * appended, as a PresenceEvent JSON line, to the outbox's segments (outboxFiles.ts); a delivery loop
 * (outboxDelivery.ts) sends them in batches to an EventSink and records the delivered seq. So the
 * decision log is the outbox: a gate killed with events in it delivers them after its restart.
 *
 * Off the decision path, as DecisionLog (src/gate/decisionLog.ts): record() queues the event object
 * and returns; serialising, seq numbering and appending happen on a later turn of the event loop, a
 * batch per append (fdatasync'd unless `sync: false`).
 *
 * seq: given when the line is appended, not at the tap, so that an event that never reaches the
 * disk takes no number: the seqs on disk (and so at the sink) run from 1 without gaps, as the
 * contract says. A restarted gate continues after the highest of the last line on disk and the
 * delivered cursor.
 *
 * Bounded, never blocking a tap: at most `maxQueued` events wait for the disk and at most
 * `maxBytes` of undelivered segments are kept. Past either, new events are dropped and counted
 * (stats.dropped) and an 'error' event says why (OUTBOX_FULL once per episode; OUTBOX_IO for each
 * failed append, whose events are dropped and whose partial bytes are cut off again). The oldest
 * undelivered events are kept: they are what the sink has not seen.
 */
import { EventEmitter } from 'node:events';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { needObject, needString } from '../codec/guard.js';
import type { GateDecisionEvent } from '../gate/gate.js';
import type { GateHolderEvent } from '../gate/holderRead.js';
import { HolderHolds } from './holderHolds.js';
import { FleetError } from './errors.js';
import { listSegments, readCursor, removeSegment, segmentName, segmentTail } from './outboxFiles.js';
import { OutboxDelivery, type DeliveryOptions } from './outboxDelivery.js';
import type { EventSink, PresenceEvent } from './contracts.js';

export interface EventOutboxOptions extends DeliveryOptions {
  /** The outbox directory (created if missing). One gate per directory. */
  dir: string;
  gateId: string;
  site: string;
  /** Where events go; without it the outbox only records (deliver later with another process). */
  sink?: EventSink;
  /** Undelivered bytes kept on disk before new events are dropped. Default 256 MiB. */
  maxBytes?: number;
  /** A new segment starts past this size. Default 4 MiB. */
  segmentBytes?: number;
  /** Events waiting for the disk before new ones are dropped. Default 10 000. */
  maxQueued?: number;
  /** fdatasync each append and the cursor (power-loss durability). Default true. */
  sync?: boolean;
  /**
   * How long a decision whose gate reads the holder fields (Gate 'holder-start') waits in memory
   * for them before it is written without (issue 18 part 1). Default 1000 ms.
   */
  holderWaitMs?: number;
}

export interface OutboxStats {
  /** Events appended to the outbox (each with its seq). */
  appended: number;
  /** Events lost before the disk: queue full, outbox full, a failed append, closed. */
  dropped: number;
  /** Events the sink accepted. */
  delivered: number;
  /** Failed sink.append calls (each retried after a backoff). */
  sendErrors: number;
  /** Failed appends and cursor writes. */
  ioErrors: number;
  /** Outbox lines that are not events (skipped, never sent). */
  corrupt: number;
  /** Events written with the holder fields their gate read after the decision. */
  holders: number;
  /** Holder fields that came after holderWaitMs, their event already written without them. */
  holdersLate: number;
}

export interface EventOutbox {
  on(event: 'error', listener: (e: FleetError) => void): this;
  on(event: 'delivered', listener: (seq: number) => void): this;
}

export class EventOutbox extends EventEmitter {
  readonly dir: string;
  readonly gateId: string;
  readonly site: string;
  readonly stats: OutboxStats = { appended: 0, dropped: 0, delivered: 0, sendErrors: 0, ioErrors: 0, corrupt: 0, holders: 0, holdersLate: 0 };
  private readonly holds: HolderHolds;
  private nextSeq = 1;
  private queue: GateDecisionEvent[] = [];
  private scheduled = false;
  private writing: Promise<void> | undefined;
  private closed = false;
  private full = false;
  private fh: FileHandle | undefined;
  private segFirst = 0;
  private segBytes = 0;
  /** Bytes of every segment on disk. */
  private diskBytes = 0;
  private readonly maxBytes: number;
  private readonly segmentBytes: number;
  private readonly maxQueued: number;
  private readonly sync: boolean;
  private readonly delivery: OutboxDelivery | undefined;

  private constructor(opts: EventOutboxOptions, segments: { first: number; bytes: number }[], lastSeq: number, delivered: number) {
    super();
    // Constructed by open() only, which reads the directory first.
    needObject('EventOutbox', 'opts', opts);
    this.dir = opts.dir;
    this.gateId = opts.gateId;
    this.site = opts.site;
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
    this.segmentBytes = opts.segmentBytes ?? 4 * 1024 * 1024;
    this.maxQueued = opts.maxQueued ?? 10_000;
    this.sync = opts.sync ?? true;
    this.holds = new HolderHolds(opts.holderWaitMs ?? 1000, this.kick);
    this.nextSeq = Math.max(lastSeq, delivered) + 1;
    this.diskBytes = segments.reduce((n, s) => n + s.bytes, 0);
    const last = segments[segments.length - 1];
    if (last) {
      this.segFirst = last.first;
      this.segBytes = last.bytes;
    }
    this.delivery = opts.sink
      ? new OutboxDelivery(opts.dir, opts.sink, segments.map((s) => s.first), delivered, opts, {
          stats: this.stats,
          sync: this.sync,
          report: (e) => this.report(e),
          removed: (bytes) => (this.diskBytes -= bytes),
          delivered: (seq) => this.emit('delivered', seq),
        })
      : undefined;
  }

  /**
   * Opens (or creates) the outbox in `opts.dir`: reads the cursor, cuts a torn last line, finds the
   * next seq, and starts delivering when a sink is given.
   */
  static async open(opts: EventOutboxOptions): Promise<EventOutbox> {
    needObject('EventOutbox.open', 'opts', opts);
    needString('EventOutbox.open', 'opts.dir', opts.dir);
    needString('EventOutbox.open', 'opts.gateId', opts.gateId);
    needString('EventOutbox.open', 'opts.site', opts.site);
    if (opts.gateId === '' || opts.site === '') throw new FleetError('EVENT_MALFORMED', 'EventOutbox: gateId and site must not be empty');
    try {
      await mkdir(opts.dir, { recursive: true, mode: 0o750 });
      const delivered = await readCursor(opts.dir);
      const segments = await listSegments(opts.dir);
      let lastSeq = 0;
      // The newest segment with a whole event line holds the last seq. Empty ones (a crash right after
      // a rotation, or a torn only line) go: a segment's name must be the seq of its first line.
      while (segments.length > 0 && lastSeq === 0) {
        const s = segments[segments.length - 1];
        const tail = await segmentTail(join(opts.dir, segmentName(s.first)));
        s.bytes = tail.bytes;
        lastSeq = tail.lastSeq ?? 0;
        if (tail.bytes === 0) {
          await removeSegment(opts.dir, s.first);
          segments.pop();
        } else if (lastSeq === 0) break;
      }
      const box = new EventOutbox(opts, segments, lastSeq, delivered);
      box.delivery?.start();
      return box;
    } catch (e) {
      if (e instanceof FleetError) throw e;
      throw new FleetError('OUTBOX_IO', `${opts.dir}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** The seq the next appended event gets. */
  get seq(): number {
    return this.nextSeq;
  }

  /** The highest seq the sink has accepted (0: none). */
  get deliveredSeq(): number {
    return this.delivery?.deliveredSeq ?? 0;
  }

  /** Queues one decision; returns at once, never throws (the gate's decision listener calls it). */
  record(event: GateDecisionEvent): void {
    if (this.closed || this.queue.length >= this.maxQueued || event === null || typeof event !== 'object') {
      this.stats.dropped++;
      return;
    }
    this.queue.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /**
   * Records every decision of `gate`, with the holder fields the gate reads after a decision when
   * they come within holderWaitMs (holderHolds.ts); returns a function that stops.
   */
  attach(gate: EventEmitter): () => void {
    needObject('EventOutbox.attach', 'gate', gate);
    const listener = (d: GateDecisionEvent): void => this.record(d);
    // Held only when it was just queued (record() may have dropped it): 'holder-start' follows its
    // 'decision' in the same synchronous step, so a queued event is the queue's last.
    const start = (d: GateDecisionEvent): void => {
      if (this.queue[this.queue.length - 1] === d) this.holds.hold(d);
    };
    const holder = (h: GateHolderEvent): void => {
      if (!this.holds.complete(h.decision, h.holder)) this.stats.holdersLate += h.holder === undefined ? 0 : 1;
      // Only fields that made it into an event: a gate that learns "known" from this never skips a
      // card whose name came too late for its event (the list would keep the name missing).
      else if (h.holder !== undefined) this.emit('holder-attached', h);
    };
    gate.on('decision', listener);
    gate.on('holder-start', start);
    gate.on('holder', holder);
    return () => {
      gate.off('decision', listener);
      gate.off('holder-start', start);
      gate.off('holder', holder);
    };
  }

  /** Resolves when every event recorded so far is on disk (or counted as dropped). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.writing) {
      if (this.writing) await this.writing;
      // The queue's head waits for its holder fields: at most holderWaitMs (HolderHolds' timer).
      else if (this.holds.readyCount(this.queue) === 0) await this.holds.released();
      else this.kick();
    }
  }

  /** Resolves when the sink holds every event appended so far; WaitTimeoutError after timeoutMs. */
  async drained(timeoutMs = 30_000): Promise<void> {
    await this.flush();
    if (!this.delivery) throw new FleetError('SINK_FAILED', 'EventOutbox.drained: this outbox has no sink');
    await this.delivery.until(this.nextSeq - 1, timeoutMs);
  }

  /** Flushes, stops delivering (an append in flight is aborted) and closes the files. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.delivery?.stop();
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }

  private readonly kick = (): void => {
    this.scheduled = false;
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.write().finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0 && !this.scheduled && this.holds.readyCount(this.queue) > 0) {
        this.scheduled = true;
        setImmediate(this.kick);
      }
    });
  };

  private async write(): Promise<void> {
    // Up to the first decision still waiting for its holder fields: seqs follow the decisions' order.
    const ready = this.holds.readyCount(this.queue);
    if (ready === 0) return;
    const events = ready === this.queue.length ? this.queue : this.queue.slice(0, ready);
    this.queue = ready === this.queue.length ? [] : this.queue.slice(ready);
    const first = this.nextSeq;
    let chunk = '';
    for (let i = 0; i < events.length; i++) chunk += JSON.stringify(this.presence(events[i], first + i)) + '\n';
    const bytes = Buffer.byteLength(chunk);
    // Without a sink another process delivers (site ingest --outbox) and deletes what it delivered:
    // only the directory knows what is left, so look before dropping.
    if (this.diskBytes + bytes > this.maxBytes && !this.delivery) this.diskBytes = await this.bytesOnDisk();
    if (this.diskBytes + bytes > this.maxBytes) {
      this.stats.dropped += events.length;
      if (!this.full) {
        this.full = true;
        this.report(new FleetError('OUTBOX_FULL', `${this.dir}: ${this.diskBytes} bytes undelivered (maxBytes ${this.maxBytes}): new events are dropped until the sink takes some`));
      }
      return;
    }
    this.full = false;
    let before = -1;
    try {
      if (!this.fh || this.segBytes >= this.segmentBytes) await this.nextSegment(first);
      before = this.segBytes;
      await this.fh!.appendFile(chunk);
      if (this.sync) await this.fh!.datasync();
      this.segBytes += bytes;
      this.diskBytes += bytes;
      this.nextSeq = first + events.length;
      this.stats.appended += events.length;
      this.delivery?.appended(this.segFirst);
    } catch (e) {
      // Disk full or gone: these events take no seq; bytes a partial append left are cut off again.
      this.stats.dropped += events.length;
      this.stats.ioErrors++;
      if (before >= 0) await this.fh?.truncate(before).catch(() => undefined);
      // Reopened at the next append: the file may have been replaced meanwhile.
      await this.fh?.close().catch(() => undefined);
      this.fh = undefined;
      this.report(new FleetError('OUTBOX_IO', `${this.dir}: ${(e as Error).message} (${events.length} events dropped)`, { cause: e }));
    }
  }

  private async bytesOnDisk(): Promise<number> {
    return (await listSegments(this.dir).catch(() => [{ first: 0, bytes: this.diskBytes }])).reduce((n, s) => n + s.bytes, 0);
  }

  /** Opens the segment to append to: the newest one, or a new one starting at `first` when it is full (or none exists). */
  private async nextSegment(first: number): Promise<void> {
    if (this.fh && this.segBytes < this.segmentBytes) return;
    await this.fh?.close();
    this.fh = undefined;
    if (this.segFirst === 0 || this.segBytes >= this.segmentBytes) {
      this.segFirst = first;
      this.segBytes = 0;
    }
    this.fh = await open(join(this.dir, segmentName(this.segFirst)), 'a', 0o640);
  }

  private presence(e: GateDecisionEvent, seq: number): PresenceEvent {
    // The decision without its timings (they are the gate's, not the fleet's) and without the three
    // hot-list fields, which the event carries at its top level.
    const { timings: _t, hotlistRevision, staleHotlist, hotlistAgeMs, ...decision } = e;
    const p: PresenceEvent = { gateId: this.gateId, site: this.site, seq, hotlistRevision: hotlistRevision ?? 0, decision };
    if (staleHotlist) p.staleHotlist = true;
    // The age the gate read at its decision (gate.ts), not one taken now: the outbox runs later.
    if (hotlistAgeMs !== undefined) p.hotlistAgeMs = hotlistAgeMs;
    const holder = this.holds.take(e);
    if (holder !== undefined) {
      p.holder = holder;
      this.stats.holders++;
    }
    return p;
  }

  private report(e: FleetError): void {
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', e);
    } catch {
      // A listener's fault must not reach the gate or stop the outbox.
    }
  }
}
