/**
 * The contract suites of src/fleet/contracts.ts, for every implementation: the in-memory ones here
 * (test/unit/fleet/contracts.test.ts), the NATS JetStream feed and the PostgreSQL / PGlite sinks in
 * theirs. Each implementation gives a harness (how to publish, purge and read back); the expected
 * values are the contract's words, not any implementation's behaviour.
 */
import { describe, expect, it } from 'vitest';
import type { EventSink, FeedDelta, HotlistFeed, PresenceEvent } from '../../src/fleet/contracts.js';
import type { FeedChange } from '../../src/fleet/memoryFeed.js';
import { waitFor } from '../../src/transport/wait.js';

export interface FeedHarness {
  feed: HotlistFeed;
  /** Applies the changes at the source; resolves with the newest revision. */
  publish(changes: FeedChange[]): Promise<number>;
  /** Drops the history up to the newest revision (a watch from before it must fail with FEED_GAP). */
  purge(): Promise<void>;
  close(): Promise<void>;
}

export interface SinkHarness {
  sink: EventSink;
  /** The events the store holds for `gateId`, by seq. */
  read(gateId: string): Promise<PresenceEvent[]>;
  close(): Promise<void>;
}

const entry = (n: number, minIssue?: number) => ({ cardNumber: String(n), status: 'lost' as const, expiry: '2099-12-31', ...(minIssue === undefined ? {} : { minIssue }) });

/** Collects a watch's deltas until `count` arrived (and caught-up was signalled), then aborts it. */
async function watchFor(feed: HotlistFeed, after: number, count: number, during?: () => Promise<unknown>): Promise<{ deltas: FeedDelta[]; caughtUp: number[] }> {
  const deltas: FeedDelta[] = [];
  const caughtUp: number[] = [];
  const ac = new AbortController();
  const done = feed.watch(after, { onDelta: (d) => deltas.push(d), onCaughtUp: (r) => caughtUp.push(r) }, ac.signal);
  await waitFor<void>({ what: 'caught-up', timeoutMs: 10_000, subscribe: (res) => { const t = setInterval(() => caughtUp.length > 0 && res(), 5); return () => clearInterval(t); } });
  await during?.();
  await waitFor<void>({ what: `${count} deltas`, timeoutMs: 10_000, subscribe: (res) => { const t = setInterval(() => deltas.length >= count && res(), 5); return () => clearInterval(t); } });
  ac.abort();
  await done;
  return { deltas, caughtUp };
}

export function hotlistFeedContract(name: string, make: () => Promise<FeedHarness>): void {
  describe(`HotlistFeed contract: ${name}`, () => {
    it('a snapshot holds the list at its revision; watch(revision) brings each later change once, in order', async () => {
      const h = await make();
      try {
        const r1 = await h.publish([{ op: 'put', entry: entry(1) }, { op: 'put', entry: entry(2, 4) }]);
        const snap = await h.feed.snapshot();
        expect(snap.revision).toBe(r1);
        expect(Number.isNaN(Date.parse(snap.takenAt))).toBe(false);
        // By value: a card number may come back with the leading zeros of its 12 digits (contracts.ts).
        expect(snap.entries.map((e) => [Number(e.cardNumber), e.minIssue]).sort()).toEqual([[1, undefined], [2, 4]]);
        const { deltas, caughtUp } = await watchFor(h.feed, snap.revision, 2, () => h.publish([{ op: 'remove', cardNumber: '1' }, { op: 'put', entry: entry(3) }]));
        expect(caughtUp[0]).toBe(r1);
        expect(deltas.map((d) => d.op)).toEqual(['remove', 'put']);
        expect(deltas[0].revision).toBeGreaterThan(r1);
        expect(deltas[1].revision).toBeGreaterThan(deltas[0].revision);
      } finally {
        await h.close();
      }
    });

    it('watch from an earlier revision delivers the kept deltas after it, then caught-up at the newest', async () => {
      const h = await make();
      try {
        const r0 = await h.publish([{ op: 'put', entry: entry(5) }]);
        const r2 = await h.publish([{ op: 'put', entry: entry(6) }, { op: 'remove', cardNumber: '5' }]);
        const { deltas, caughtUp } = await watchFor(h.feed, r0, 2);
        expect(deltas.map((d) => d.op)).toEqual(['put', 'remove']);
        expect(deltas.at(-1)!.revision).toBe(r2);
        expect(caughtUp[0]).toBe(r2);
      } finally {
        await h.close();
      }
    });

    it('after the history is purged, a watch from before it fails with FEED_GAP; one from the newest revision works', async () => {
      const h = await make();
      try {
        const r0 = await h.publish([{ op: 'put', entry: entry(7) }]);
        const r1 = await h.publish([{ op: 'put', entry: entry(8) }]);
        await h.purge();
        const ac = new AbortController();
        await expect(h.feed.watch(r0 - 1, { onDelta: () => {} }, ac.signal)).rejects.toMatchObject({ code: 'FEED_GAP' });
        const { caughtUp } = await watchFor(h.feed, r1, 0);
        expect(caughtUp[0]).toBe(r1);
      } finally {
        await h.close();
      }
    });
  });
}

const event = (gateId: string, seq: number): PresenceEvent => ({ gateId, site: 'site-a', seq, hotlistRevision: 3, decision: { allow: true, reason: 'ok', uid: '04a1b2c3', at: '2027-01-01T08:00:00.000Z', cardNumber: '123456' } });

export function eventSinkContract(name: string, make: () => Promise<SinkHarness>): void {
  describe(`EventSink contract: ${name}`, () => {
    it('is idempotent on (gateId, seq): a repeated batch (at-least-once delivery) is stored once', async () => {
      const h = await make();
      try {
        await h.sink.append([event('g1', 1), event('g1', 2)]);
        await h.sink.append([event('g1', 2), event('g1', 3), event('g2', 1)]);
        await h.sink.append([]);
        expect((await h.read('g1')).map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(await h.read('g2')).toEqual([event('g2', 1)]);
      } finally {
        await h.close();
      }
    });

    it('carries hotlistAgeMs (issue 18 part 5) as given, and an event without it stays without it', async () => {
      const h = await make();
      try {
        const aged = { ...event('g4', 1), hotlistAgeMs: 5000 };
        await h.sink.append([aged, event('g4', 2)]);
        expect(await h.read('g4')).toEqual([aged, event('g4', 2)]);
        for (const bad of [-1, 2.5, '5000']) await expect(h.sink.append([{ ...event('g4', 3), hotlistAgeMs: bad as number }])).rejects.toMatchObject({ code: 'EVENT_MALFORMED' });
        expect(await h.read('g4')).toHaveLength(2);
      } finally {
        await h.close();
      }
    });

    it('a malformed event is refused with a typed error (EVENT_MALFORMED) and its batch is not stored', async () => {
      const h = await make();
      try {
        await expect(h.sink.append([event('g3', 1), { ...event('g3', 2), seq: -1 }])).rejects.toMatchObject({ code: 'EVENT_MALFORMED' });
        expect(await h.read('g3')).toEqual([]);
      } finally {
        await h.close();
      }
    });
  });
}
