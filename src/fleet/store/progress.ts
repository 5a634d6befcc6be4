/**
 * The ingest consumer's counters and its progress line (issue 17 part 5: "with a progress line").
 * The rate is taken over the last interval, not since the start, so a consumer that has been idle
 * for an hour shows the rate of the burst it is working through now.
 */
import type { BatchResult } from './ingestBatch.js';

export interface IngestTotals {
  /** Stream messages handled (stored, already held, or malformed). */
  messages: number;
  /** Events stored. */
  inserted: number;
  /** Events delivered again and already held. */
  duplicates: number;
  /** Malformed messages: recorded in ingest_errors and terminated. */
  errors: number;
  /** Batches the database or the server failed (retried). */
  failures: number;
}

export interface IngestProgress extends IngestTotals {
  /** Messages per second over the last interval. */
  rate: number;
  elapsedMs: number;
}

export function emptyTotals(): IngestTotals {
  return { messages: 0, inserted: 0, duplicates: 0, errors: 0, failures: 0 };
}

export function addBatch(t: IngestTotals, b: BatchResult): void {
  t.messages += b.messages;
  t.inserted += b.inserted;
  t.duplicates += b.duplicates;
  t.errors += b.errors;
}

/** `ingest: 1200 events/s, total 5000 (4980 new, 20 duplicates), 1 error, 0 retries`. */
export function formatProgress(p: IngestProgress): string {
  const rate = p.rate >= 100 ? Math.round(p.rate).toString() : p.rate.toFixed(1);
  return `ingest: ${rate} events/s, total ${p.messages} (${p.inserted} new, ${p.duplicates} duplicates), ${p.errors} ${p.errors === 1 ? 'error' : 'errors'}, ${p.failures} retries`;
}

/** Samples the totals: each call gives the rate since the previous one. */
export function progressMeter(totals: IngestTotals, now: () => number = () => performance.now()): () => IngestProgress {
  const start = now();
  let lastAt = start;
  let lastMessages = totals.messages;
  return () => {
    const t = now();
    const dt = t - lastAt;
    const rate = dt > 0 ? ((totals.messages - lastMessages) * 1000) / dt : 0;
    lastAt = t;
    lastMessages = totals.messages;
    return { ...totals, rate, elapsedMs: t - start };
  };
}
