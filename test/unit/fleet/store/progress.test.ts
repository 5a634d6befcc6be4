/**
 * progress.ts: the ingest progress line. The rate is over the last interval, not since the start
 * (a consumer idle for an hour then busy shows the busy rate), computed from a given clock.
 */
import { describe, expect, it } from 'vitest';
import { addBatch, emptyTotals, formatProgress, progressMeter } from '../../../../src/fleet/store/progress.js';

describe('ingest progress', () => {
  it('rate over the last interval, totals since the start', () => {
    let now = 0;
    const totals = emptyTotals();
    const sample = progressMeter(totals, () => now);
    now = 3_600_000; // an idle hour
    expect(sample().rate).toBe(0);
    addBatch(totals, { messages: 500, inserted: 480, duplicates: 20, errors: 0 });
    addBatch(totals, { messages: 250, inserted: 249, duplicates: 0, errors: 1 });
    now += 500;
    const p = sample();
    expect(p.rate).toBe(1500); // 750 messages in 0.5 s
    expect(p).toMatchObject({ messages: 750, inserted: 729, duplicates: 20, errors: 1, failures: 0, elapsedMs: 3_600_500 });
    expect(formatProgress(p)).toBe('ingest: 1500 events/s, total 750 (729 new, 20 duplicates), 1 error, 0 retries');
    now += 2000;
    expect(formatProgress(sample())).toBe('ingest: 0.0 events/s, total 750 (729 new, 20 duplicates), 1 error, 0 retries');
  });
});
