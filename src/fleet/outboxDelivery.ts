/**
 * The outbox's delivery loop (issue 17 part 2): reads the undelivered lines of the segments in
 * order, sends them in batches to the EventSink, and after each accepted batch records the delivered
 * seq in the cursor file (outboxFiles.ts, replaced atomically) and deletes the segments wholly
 * delivered. At least once: a gate killed between the sink's acceptance and the cursor write sends
 * that batch again after its restart, and the sink ignores the (gateId, seq) it holds
 * (contracts.ts EventSink).
 *
 * A failed append (or one that takes longer than sendTimeoutMs) is counted, reported as SINK_FAILED
 * and retried after a backoff (backoff.ts: doubling from retryMinMs to retryMaxMs, with jitter).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../transport/wait.js';
import { FleetError } from './errors.js';
import { Backoff } from './backoff.js';
import { readLines, removeSegment, segmentName, writeCursor } from './outboxFiles.js';
import type { EventSink, PresenceEvent } from './contracts.js';
import type { OutboxStats } from './outbox.js';

export interface DeliveryOptions {
  /** Events per sink.append. Default 500. */
  batchSize?: number;
  /** A sink.append that takes longer fails (SINK_FAILED) and is retried. Default 30 s. */
  sendTimeoutMs?: number;
  /** First and longest wait after a failed append. Default 200 ms .. 30 s. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

interface Owner {
  stats: OutboxStats;
  sync: boolean;
  report(e: FleetError): void;
  removed(bytes: number): void;
  delivered(seq: number): void;
}

const READ_BYTES = 1024 * 1024;

export class OutboxDelivery {
  private delivered: number;
  /** The delivered seq once its cursor write is over (until() waits on it, so the file agrees). */
  private recorded: number;
  /** Set by appended(): lines came since the last read, so do not sleep. */
  private dirty = false;
  private readSeg = 0;
  private readOffset = 0;
  private pending: PresenceEvent[] = [];
  private emptyPasses = 0;
  private readonly stopper = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly sendTimeoutMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly dir: string,
    private readonly sink: EventSink,
    /** First seqs of the segments on disk, ascending. */
    private readonly segments: number[],
    delivered: number,
    opts: DeliveryOptions,
    private readonly owner: Owner,
  ) {
    this.delivered = delivered;
    this.recorded = delivered;
    this.batchSize = opts.batchSize ?? 500;
    this.sendTimeoutMs = opts.sendTimeoutMs ?? 30_000;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    if (segments.length > 0) this.readSeg = segments[0];
  }

  get deliveredSeq(): number {
    return this.delivered;
  }

  /** Passes that found nothing to send and no append since they began: one after a call means caught up as of that call. */
  get idlePasses(): number {
    return this.emptyPasses;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopper.abort();
    this.wake?.();
    await this.loop;
  }

  /** The outbox appended lines into the segment starting at `segFirst`. */
  appended(segFirst: number): void {
    if (this.segments[this.segments.length - 1] !== segFirst) this.segments.push(segFirst);
    if (this.readSeg === 0) this.readSeg = segFirst;
    this.dirty = true;
    this.wake?.();
  }

  /** Resolves when the sink holds every event up to `seq` and the cursor says so. */
  until(seq: number, timeoutMs: number): Promise<void> {
    return waitFor<void>({
      what: `delivery of the outbox up to seq ${seq}`,
      timeoutMs,
      subscribe: (resolve) => {
        const t = setInterval(() => this.recorded >= seq && resolve(), 5);
        if (this.recorded >= seq) resolve();
        return () => clearInterval(t);
      },
    });
  }

  private async run(): Promise<void> {
    const signal = this.stopper.signal;
    const backoff = new Backoff(this.retryMinMs, this.retryMaxMs);
    while (!signal.aborted) {
      let batch: PresenceEvent[];
      this.dirty = false;
      try {
        batch = await this.nextBatch();
      } catch (e) {
        this.owner.stats.ioErrors++;
        this.owner.report(new FleetError('OUTBOX_IO', `${this.dir}: ${(e as Error).message}`, { cause: e }));
        await backoff.wait(signal);
        continue;
      }
      if (batch.length === 0) {
        // Nothing to send: wait for an append (or poll now and then, should one be missed).
        if (!this.dirty) {
          this.emptyPasses++;
          await this.pause(1000, true);
        }
        continue;
      }
      try {
        await this.send(batch, signal);
      } catch (e) {
        if (signal.aborted) break;
        this.owner.stats.sendErrors++;
        this.owner.report(e instanceof FleetError ? e : new FleetError('SINK_FAILED', `sink.append: ${(e as Error)?.message ?? String(e)}`, { cause: e }));
        await backoff.wait(signal);
        continue;
      }
      backoff.reset();
      this.pending.splice(0, batch.length);
      const seq = batch[batch.length - 1].seq;
      this.delivered = seq;
      this.owner.stats.delivered += batch.length;
      try {
        await writeCursor(this.dir, seq, this.owner.sync);
        await this.dropDelivered();
      } catch (e) {
        // The sink has them: a cursor not written means a resend after a restart, which the sink ignores.
        this.owner.stats.ioErrors++;
        this.owner.report(new FleetError('OUTBOX_IO', `${this.dir}: cursor: ${(e as Error).message}`, { cause: e }));
      }
      this.recorded = seq;
      this.owner.delivered(seq);
    }
  }

  private async send(batch: PresenceEvent[], signal: AbortSignal): Promise<void> {
    const attempt = new AbortController();
    const onStop = (): void => attempt.abort();
    signal.addEventListener('abort', onStop);
    try {
      await waitFor<void>({
        what: `the event sink accepting ${batch.length} events`,
        timeoutMs: this.sendTimeoutMs,
        // close() must not wait for a sink that ignores its signal.
        signal,
        timeoutError: (ms) => new FleetError('SINK_FAILED', `sink.append of ${batch.length} events took longer than ${ms} ms`),
        subscribe: (resolve, reject) => {
          Promise.resolve()
            .then(() => this.sink.append(batch, attempt.signal))
            .then(() => resolve(), reject);
          return () => attempt.abort();
        },
      });
    } finally {
      signal.removeEventListener('abort', onStop);
    }
  }

  /** Up to batchSize undelivered events, read from the segments as needed. */
  private async nextBatch(): Promise<PresenceEvent[]> {
    while (this.pending.length < this.batchSize && this.readSeg !== 0) {
      const path = join(this.dir, segmentName(this.readSeg));
      const { lines, consumed } = await readLines(path, this.readOffset, READ_BYTES).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return { lines: [] as string[], consumed: 0 };
        throw e;
      });
      this.readOffset += consumed;
      for (const line of lines) this.take(line);
      if (consumed > 0) continue;
      // Nothing new in this segment: on to the next one, if the outbox has started it.
      const i = this.segments.indexOf(this.readSeg);
      if (i < 0 || i + 1 >= this.segments.length) break;
      this.readSeg = this.segments[i + 1];
      this.readOffset = 0;
    }
    return this.pending.slice(0, this.batchSize);
  }

  private take(line: string): void {
    let e: PresenceEvent;
    try {
      e = JSON.parse(line) as PresenceEvent;
    } catch {
      e = undefined as unknown as PresenceEvent;
    }
    if (!e || typeof e !== 'object' || !Number.isSafeInteger(e.seq) || e.seq < 1 || typeof e.decision !== 'object') {
      this.owner.stats.corrupt++;
      this.owner.report(new FleetError('EVENT_MALFORMED', `${this.dir}: an outbox line is not an event: ${JSON.stringify(line.slice(0, 80))}`));
      return;
    }
    if (e.seq <= this.delivered || (this.pending.length > 0 && e.seq <= this.pending[this.pending.length - 1].seq)) return;
    this.pending.push(e);
  }

  /** Deletes the segments whose every line is delivered (the next segment starts at or below delivered + 1). */
  private async dropDelivered(): Promise<void> {
    while (this.segments.length > 1 && this.segments[1] - 1 <= this.delivered && this.segments[0] !== this.readSeg) {
      const first = this.segments.shift()!;
      const path = join(this.dir, segmentName(first));
      const bytes = await stat(path).then((s) => s.size, () => 0);
      await removeSegment(this.dir, first);
      this.owner.removed(bytes);
    }
  }

  /** Waits `ms`, or until an append wakes it (when `wakeable`), or the stop. */
  private pause(ms: number, wakeable = false): Promise<void> {
    return waitFor<void>({
      what: 'the delivery pause',
      signal: this.stopper.signal,
      subscribe: (resolve) => {
        const t = setTimeout(resolve, ms);
        if (wakeable) this.wake = resolve;
        return () => {
          clearTimeout(t);
          this.wake = undefined;
        };
      },
    }).catch(() => undefined);
  }
}
