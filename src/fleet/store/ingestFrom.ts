/**
 * One entry to the two ingest loops (issue 17 parts 2-3, issue 18 part 5): the durable NATS
 * consumer (ingest.ts) or the outboxes on this machine (outboxIngest.ts), into one opened store.
 * `site ingest` runs it once and exits on what it throws (exit 4: NATS unreachable at start, an
 * outbox held by another deliverer); `site serve --outbox/--nats` runs it under `keepIngesting`,
 * because there the page is the point and must outlive any ingest trouble.
 *
 * Both loops already survive a bad batch or a malformed event on their own (retry after a pause,
 * ingest_errors); what they throw is what stops them as a whole (a refused connection at start, an
 * outbox lock held by another process, an outbox directory gone). keepIngesting logs that and starts
 * the loop again after a backoff (1 s doubling to 30 s, reset once a run has lasted a minute),
 * until its signal aborts. Stopping is the loops' own: after the batch in hand is committed (and
 * acknowledged, or the outbox cursor written), never in the middle of one.
 */
import type { SqlDb } from './db.js';
import { runIngest } from './ingest.js';
import { pause } from '../../transport/wait.js';
import { runOutboxIngest } from './outboxIngest.js';
import type { IngestProgress } from './progress.js';

/** Where the events come from: the NATS server(s), or outbox directories (with `drain`: what they hold now, then stop). */
export type IngestSource = { nats: string } | { outboxes: readonly string[]; drain?: boolean };

export interface IngestFromOptions {
  source: IngestSource;
  db: SqlDb;
  signal: AbortSignal;
  /** With `nats`: stop after this many messages (tests, bench). */
  stopAfter?: number;
  progressMs?: number;
  onProgress?(p: IngestProgress): void;
  /** A batch not stored (it is retried), a malformed line, an outbox that could not be read. */
  onError?(e: Error): void;
}

/** Runs the loop of `o.source` until `o.signal` aborts (or `drain` / `stopAfter`); rejects with what stops it as a whole. */
export function ingestFrom(o: IngestFromOptions): Promise<IngestProgress> {
  const common = { db: o.db, signal: o.signal, progressMs: o.progressMs, onProgress: o.onProgress, onError: o.onError };
  if ('nats' in o.source) return runIngest({ servers: o.source.nats, stopAfter: o.stopAfter, ...common });
  return runOutboxIngest({ dirs: o.source.outboxes, drain: o.source.drain === true, ...common });
}

export interface KeepIngestingOptions extends IngestFromOptions {
  /** The ingest loop stopped with `e` and starts again in `retryMs`. */
  onStopped?(e: Error, retryMs: number): void;
  /** First and longest pause before a restart, ms; defaults 1000 and 30 000. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** `ingestFrom`, started again whenever it stops with an error, until `o.signal` aborts; never rejects. */
export async function keepIngesting(o: KeepIngestingOptions): Promise<void> {
  const min = o.retryMinMs ?? 1000;
  const max = o.retryMaxMs ?? 30_000;
  let wait = min;
  while (!o.signal.aborted) {
    const started = Date.now();
    try {
      await ingestFrom(o);
      // Returned without an abort: drain or stopAfter reached; nothing more to follow.
      if (!o.signal.aborted) return;
    } catch (e) {
      if (o.signal.aborted) return;
      if (Date.now() - started > 60_000) wait = min;
      o.onStopped?.(e instanceof Error ? e : new Error(String(e)), wait);
      await pause(wait, o.signal);
      wait = Math.min(max, wait * 2);
    }
  }
}
