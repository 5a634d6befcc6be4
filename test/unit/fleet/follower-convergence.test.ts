/**
 * HotlistFollower against MemoryHotlistFeed (issue 17 part 4): whatever the feed does - batches of
 * puts and removes, dropped connections, history purged while the follower is away (FeedGapError,
 * full resync), malformed deltas - the follower ends at the feed's revision with exactly the list a
 * model Map holds (card number -> lowest issue not listed, 256 for every issue: spec section 7
 * rule 3). The model is written from the contract, not from the follower's code.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HotlistFollower } from '../../../src/fleet/follower.js';
import { MemoryHotlistFeed, type FeedChange } from '../../../src/fleet/memoryFeed.js';
import { FeedGapError, FleetError } from '../../../src/fleet/errors.js';
import { ALL_ISSUES, NOT_LISTED } from '../../../src/codec/gateDecision.js';
import { until } from '../../helpers/fleet.js';

const RANGE = 40;
const FUTURE = '2099-12-31';
const followers: HotlistFollower[] = [];
afterEach(async () => {
  await Promise.all(followers.splice(0).map((f) => f.stop()));
});

function follow(feed: MemoryHotlistFeed, clock = () => Date.UTC(2027, 0, 1)): HotlistFollower {
  const f = new HotlistFollower({ feed, clock, retryMinMs: 1, retryMaxMs: 4 });
  f.on('error', () => {});
  followers.push(f);
  return f.start();
}

type Step = { kind: 'batch'; changes: FeedChange[] } | { kind: 'disconnect' } | { kind: 'purge' } | { kind: 'malformed' } | { kind: 'tick' };

const change: fc.Arbitrary<FeedChange> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), entry: fc.record({ cardNumber: fc.integer({ min: 1, max: RANGE }).map(String), status: fc.constantFrom('lost' as const, 'blocked' as const), minIssue: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }), expiry: fc.constant(FUTURE) }, { requiredKeys: ['cardNumber', 'status', 'expiry'] }) }),
  fc.record({ op: fc.constant('remove' as const), cardNumber: fc.integer({ min: 1, max: RANGE }).map(String) }),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.array(change, { minLength: 1, maxLength: 8 }).map((changes) => ({ kind: 'batch' as const, changes })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'purge' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'malformed' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

describe('HotlistFollower converges on the feed (model: a Map)', () => {
  it('random batches, disconnects, purged history and malformed deltas', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 20 }), fc.array(step, { maxLength: 30 }), async (initial, steps) => {
        const model = new Map<number, number>();
        const apply = (cs: FeedChange[]) => {
          for (const c of cs) {
            if (c.op === 'put') model.set(+c.entry.cardNumber, c.entry.minIssue ?? ALL_ISSUES);
            else model.delete(+c.cardNumber);
          }
        };
        const feed = new MemoryHotlistFeed();
        feed.publish(initial);
        apply(initial);
        const f = follow(feed);
        await f.ready(2000);
        for (const s of steps) {
          if (s.kind === 'batch') {
            feed.publish(s.changes);
            apply(s.changes);
          } else if (s.kind === 'disconnect') feed.disconnect();
          else if (s.kind === 'purge') feed.purgeHistory();
          else if (s.kind === 'malformed') feed.pushRaw({ op: 'put', revision: feed.revision + 1, entry: { cardNumber: 'x' } });
          else await new Promise((r) => setTimeout(r, 3));
        }
        await until('the follower at the feed revision and watching', () => f.revision === feed.revision && f.state === 'following' && feed.watching > 0);
        for (let n = 1; n <= RANGE; n++) expect(f.hotlist.minIssueOf(n), `card ${n}`).toBe(model.get(n) ?? NOT_LISTED);
        expect(f.size).toBe(model.size);
        expect(f.hotlist.size).toBe(model.size);
        await f.stop();
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('a watch from a purged revision is a FeedGapError (FEED_GAP): the follower loads a new snapshot', async () => {
    const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '1', status: 'lost', expiry: FUTURE }] });
    const f = follow(feed);
    await f.ready(2000);
    const errors: FleetError[] = [];
    f.on('error', (e) => errors.push(e));
    feed.disconnect();
    feed.put({ cardNumber: '2', status: 'lost', minIssue: 4, expiry: FUTURE });
    feed.remove('1');
    feed.purgeHistory();
    await until('resync', () => f.revision === feed.revision);
    expect(f.stats).toMatchObject({ snapshots: 2, resyncs: 1, feedErrors: 1 });
    expect(errors.map((e) => e.code)).toEqual(['FEED_UNAVAILABLE', 'FEED_GAP']);
    expect(errors[1]).toBeInstanceOf(FeedGapError);
    expect(errors[1].kind).toBe('device');
    expect([f.hotlist.minIssueOf(1), f.hotlist.minIssueOf(2)]).toEqual([NOT_LISTED, 4]);
  });

  it('a malformed delta is counted and reported (FEED_DELTA_MALFORMED, kind data), never a crash; a repeat is skipped', async () => {
    const feed = new MemoryHotlistFeed();
    const f = follow(feed);
    await f.ready(2000);
    const errors: FleetError[] = [];
    f.on('error', (e) => errors.push(e));
    for (const bad of [null, 'put', { op: 'put', revision: 1 }, { op: 'zap', revision: 1 }, { op: 'remove', revision: 0, cardNumber: '1' }, { op: 'put', revision: 1, entry: { cardNumber: '1', status: 'lost', expiry: '2027-02-30' } }]) feed.pushRaw(bad);
    feed.put({ cardNumber: '7', status: 'lost', expiry: FUTURE });
    feed.pushRaw({ op: 'remove', revision: 1, cardNumber: '7' });
    expect(f.stats).toMatchObject({ malformed: 6, skipped: 1, deltas: 1 });
    expect(errors.every((e) => e.code === 'FEED_DELTA_MALFORMED' && e.kind === 'data')).toBe(true);
    expect(errors[5].message).toContain('expiry "2027-02-30" is not a date');
    expect(f.hotlist.minIssueOf(7)).toBe(ALL_ISSUES);
    expect(f.state).toBe('following');
  });

  it('prunes entries whose expiry is past: at load, on put, and when the Oslo date moves on', async () => {
    let now = Date.UTC(2027, 5, 30, 12);
    const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '1', status: 'lost', expiry: '2027-06-29' }, { cardNumber: '2', status: 'lost', expiry: '2027-06-30' }] });
    const f = new HotlistFollower({ feed, clock: () => now, pruneEveryMs: 5 });
    followers.push(f);
    await f.start().ready(2000);
    expect([f.hotlist.minIssueOf(1), f.hotlist.minIssueOf(2), f.stats.pruned]).toEqual([NOT_LISTED, ALL_ISSUES, 1]);
    feed.put({ cardNumber: '3', status: 'lost', expiry: '2027-01-01' });
    expect([f.hotlist.minIssueOf(3), f.size, f.stats.pruned]).toEqual([NOT_LISTED, 1, 2]);
    // 2027-06-30 22:00 UTC is midnight in Oslo (summer time): the card expired on the 30th is refused from then.
    now = Date.UTC(2027, 5, 30, 21, 59);
    await new Promise((r) => setTimeout(r, 20));
    expect(f.hotlist.minIssueOf(2)).toBe(ALL_ISSUES);
    now = Date.UTC(2027, 5, 30, 22, 0);
    await until('prune on the new Oslo day', () => f.hotlist.minIssueOf(2) === NOT_LISTED);
    expect([f.size, f.hotlist.size, f.stats.pruned]).toEqual([0, 0, 3]);
  });
});
