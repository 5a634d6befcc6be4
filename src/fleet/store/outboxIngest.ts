/**
 * `site ingest --outbox DIR`: the "one machine, no server" path of issue 17 part 2. The gate's
 * outbox (src/fleet/outbox.ts, segments + cursor, src/fleet/outboxFiles.ts) is delivered into the
 * SQL store by this process, not by the gate: PGlite allows one process per directory and takes
 * seconds to start, so the gate must not hold it.
 *
 * Two processes share the directory through files only, and each file has one writer:
 * - the gate (no --events) appends whole JSON lines to the newest segment and never reads the
 *   cursor after it opens; a reader sees only whole lines (readLines stops at the last newline);
 * - this process writes the cursor (`delivered`, replaced atomically by rename) after COMMIT, and
 *   deletes segments wholly delivered, never the newest one (the one the gate appends to).
 * So one deliverer per outbox: the gate with --events, or this command, never both; `ingest.lock`
 * in the outbox directory (dirLock.ts, a dead owner's lock is taken over) keeps a second ingest out.
 *
 * The delivery loop is the outbox's own (outboxDelivery.ts: batches, backoff, cursor after the
 * sink resolves); its sink is ingestBatch.ts, the NATS consumer's transaction, so a malformed event
 * is recorded in ingest_errors and passed (the cursor moves over it) instead of blocking the outbox.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EventSink, PresenceEvent } from '../contracts.js';
import { FleetError } from '../errors.js';
import { listSegments, readCursor, segmentName } from '../outboxFiles.js';
import { OutboxDelivery } from '../outboxDelivery.js';
import type { OutboxStats } from '../outbox.js';
import type { SqlDb } from './db.js';
import { acquireDirLock, type DirLock } from './dirLock.js';
import { StoreError } from './errors.js';
import { ingestBatch, type BatchHooks, type StreamMessage } from './ingestBatch.js';
import { pause } from '../../transport/wait.js';
import { waitFor } from '../../transport/wait.js';
import { addBatch, emptyTotals, progressMeter, type IngestProgress, type IngestTotals } from './progress.js';

export interface OutboxIngestOptions {
  /** Outbox directories, or directories holding them (the gate's default hmskort-outbox/SITE.GATE). */
  dirs: readonly string[];
  db: SqlDb;
  signal: AbortSignal;
  /** Events per transaction; default 500. */
  batch?: number;
  /** How often the directories are looked at for new lines, segments and outboxes, ms; default 200. */
  pollMs?: number;
  progressMs?: number;
  onProgress?(p: IngestProgress): void;
  /** A batch not stored (retried), a line that is not an event, an outbox that cannot be read. */
  onError?(e: Error): void;
  hooks?: BatchHooks;
  /** Deliver what the outboxes hold when found, then resolve (cron): no following. */
  drain?: boolean;
  /** With `drain`: how long it may take before it fails with DRAIN_TIMEOUT, ms; default 600 000. */
  drainTimeoutMs?: number;
}

const SEGMENT = /^seg-\d{16}\.jsonl$/;

async function isOutbox(dir: string): Promise<boolean> {
  const names = await readdir(dir);
  return names.some((n) => SEGMENT.test(n) || n === 'delivered');
}

/** The outbox directories under `dirs`: each one itself when it is an outbox, else its subdirectories that are. */
export async function findOutboxes(dirs: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const d of dirs) {
    const dir = resolve(d);
    let entries;
    try {
      if (await isOutbox(dir)) {
        found.push(dir);
        continue;
      }
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      throw new StoreError('DB_UNAVAILABLE', `--outbox ${d}: ${(e as Error).message}`, { cause: e });
    }
    for (const e of entries) if (e.isDirectory() && (await isOutbox(join(dir, e.name)).catch(() => false))) found.push(join(dir, e.name));
  }
  return [...new Set(found)];
}

/** The outbox's events as stream messages of ingestBatch: no stream sequence, nothing to acknowledge. */
function sqlSink(db: SqlDb, dir: string, totals: IngestTotals, hooks: BatchHooks): EventSink {
  const subject = `outbox:${dir}`;
  return {
    async append(events: readonly PresenceEvent[]): Promise<void> {
      const msgs: StreamMessage[] = events.map((e) => ({ subject, data: Buffer.from(JSON.stringify(e)), seq: null, ack() {}, term() {} }));
      addBatch(totals, await ingestBatch(db, msgs, hooks));
    },
  };
}

interface Followed {
  delivery: OutboxDelivery;
  lock: DirLock;
  stats: OutboxStats;
  known: number[];
  lastBytes: number;
}

async function follow(dir: string, o: OutboxIngestOptions, totals: IngestTotals): Promise<Followed> {
  const lock = await acquireDirLock(join(dir, 'ingest'), undefined, 'one deliverer per outbox');
  try {
    const delivered = await readCursor(dir);
    const known = (await listSegments(dir)).map((s) => s.first);
    const stats: OutboxStats = { appended: 0, dropped: 0, delivered: 0, sendErrors: 0, ioErrors: 0, corrupt: 0, holders: 0, holdersLate: 0 };
    const delivery = new OutboxDelivery(dir, sqlSink(o.db, dir, totals, o.hooks ?? {}), [...known], delivered, { batchSize: o.batch ?? 500, retryMinMs: 200, retryMaxMs: 5000 }, {
      stats,
      sync: true,
      report: (e: FleetError) => {
        if (e.code === 'SINK_FAILED') totals.failures++;
        else if (e.code === 'EVENT_MALFORMED') totals.errors++;
        o.onError?.(e);
      },
      removed: () => undefined,
      delivered: () => undefined,
    });
    delivery.start();
    return { delivery, lock, stats, known, lastBytes: -1 };
  } catch (e) {
    await lock.release();
    throw e;
  }
}

/** Tells the delivery loop of segments the gate started and lines it appended since the last look. */
async function look(dir: string, f: Followed): Promise<void> {
  const segs = await listSegments(dir);
  const newest = f.known[f.known.length - 1] ?? 0;
  for (const s of segs) if (s.first > newest) f.known.push(s.first);
  const last = segs[segs.length - 1];
  if (!last) return;
  const bytes = await stat(join(dir, segmentName(last.first))).then((s) => s.size, () => -1);
  if (last.first > newest || bytes !== f.lastBytes) {
    f.lastBytes = bytes;
    f.delivery.appended(last.first);
  }
}

/**
 * Resolves once every outbox has had a delivery pass with nothing left to send that began after
 * the look above: all lines there when it looked are in the store (or in ingest_errors).
 */
function drained(fs: readonly Followed[], o: OutboxIngestOptions): Promise<void> {
  const from = fs.map((f) => f.delivery.idlePasses);
  const timeoutMs = o.drainTimeoutMs ?? 600_000;
  return waitFor<void>({
    what: `delivery of everything in ${fs.length} outbox(es)`,
    timeoutMs,
    signal: o.signal,
    timeoutError: (ms) => new StoreError('DRAIN_TIMEOUT', `the outboxes were not delivered within ${ms} ms; what was delivered stays delivered, run again`),
    subscribe: (resolve) => {
      const done = (): boolean => fs.every((f, i) => f.delivery.idlePasses > from[i]);
      const t = setInterval(() => done() && resolve(), 20);
      if (done()) resolve();
      return () => clearInterval(t);
    },
  });
}

/** Delivers the outboxes under `o.dirs` into `o.db` until `o.signal` aborts (with `drain`, until what they held is delivered); resolves with the totals. */
export async function runOutboxIngest(o: OutboxIngestOptions): Promise<IngestProgress> {
  const totals = emptyTotals();
  const sample = progressMeter(totals);
  const timer = setInterval(() => o.onProgress?.(sample()), o.progressMs ?? 1000);
  const followed = new Map<string, Followed>();
  try {
    while (!o.signal.aborted) {
      for (const dir of await findOutboxes(o.dirs)) if (!followed.has(dir)) followed.set(dir, await follow(dir, o, totals));
      for (const [dir, f] of followed) {
        await look(dir, f).catch((e: Error) => o.onError?.(new FleetError('OUTBOX_IO', `${dir}: ${e.message}`, { cause: e })));
      }
      if (o.drain) {
        await drained([...followed.values()], o);
        break;
      }
      await pause(o.pollMs ?? 200, o.signal);
    }
  } finally {
    clearInterval(timer);
    for (const f of followed.values()) {
      await f.delivery.stop();
      await f.lock.release();
    }
  }
  const last = sample();
  o.onProgress?.(last);
  return last;
}
