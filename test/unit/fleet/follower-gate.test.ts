/**
 * A Gate following a feed (issue 17 part 4): every tap is decided wholly with one revision - the
 * revision its event carries, and the list as the feed had it at that revision - while batches land
 * and full resyncs swap a new table in. The oracle is the feed's own history, replayed into a model
 * per revision (contract: a batch is delivered in one synchronous run, so only batch-end revisions
 * can ever be seen). Then the policy's maxHotlistAgeHours both ways ('deny', 'allow-flagged').
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Gate, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { HotlistFollower } from '../../../src/fleet/follower.js';
import { MemoryHotlistFeed, type FeedChange } from '../../../src/fleet/memoryFeed.js';
import { READ_MASTER } from '../../helpers/gateCards.js';
import { cardOf, until } from '../../helpers/fleet.js';
import type { FeedEntry } from '../../../src/fleet/contracts.js';

const NOW = Date.UTC(2027, 0, 1);
const FUTURE = '2099-12-31';
const K = 12;
const CARDS = Array.from({ length: K }, (_, i) => cardOf(i + 1, 5));
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

function setup(feed: MemoryHotlistFeed, policy = {}, clock = () => NOW): { gate: Gate; follower: HotlistFollower } {
  const gate = new Gate({ readMaster: READ_MASTER, policy, clock });
  const follower = new HotlistFollower({ feed, gate, clock, retryMinMs: 1, retryMaxMs: 2 });
  follower.on('error', () => {});
  stops.push(() => follower.stop());
  follower.start();
  return { gate, follower };
}

/** Cards listed (issue 5 below minIssue) after each revision the feed reaches, replayed from its changes. */
class Model {
  private readonly min = new Map<number, number>();
  readonly listedAt = new Map<number, Set<number>>();
  apply(revision: number, changes: readonly FeedChange[]): void {
    for (const c of changes) {
      if (c.op === 'put') this.min.set(+c.entry.cardNumber, c.entry.minIssue ?? 256);
      else this.min.delete(+c.cardNumber);
    }
    this.listedAt.set(revision, new Set([...this.min].filter(([, m]) => 5 < m).map(([n]) => n)));
  }
}

function check(model: Model, events: GateDecisionEvent[]): void {
  for (const e of events) {
    const listed = model.listedAt.get(e.hotlistRevision!);
    expect(listed, `revision ${e.hotlistRevision} is not a batch end`).toBeDefined();
    expect(e.reason, `card ${e.cardNumber} at revision ${e.hotlistRevision}`).toBe(listed!.has(+e.cardNumber!) ? 'hotlisted' : 'ok');
  }
}

function tapEveryTurn(gate: Gate, taps: Promise<GateDecisionEvent>[]): () => void {
  let on = true;
  let i = 0;
  const loop = (): void => {
    if (!on) return;
    taps.push(gate.tap(CARDS[i++ % K]));
    setImmediate(loop);
  };
  loop();
  return () => (on = false);
}

const change = fc.oneof(
  fc.record({ op: fc.constant('put' as const), entry: fc.record({ cardNumber: fc.integer({ min: 1, max: K }).map(String), status: fc.constant('lost' as const), minIssue: fc.constantFrom(undefined, 0, 5, 6, 255), expiry: fc.constant(FUTURE) }) }),
  fc.record({ op: fc.constant('remove' as const), cardNumber: fc.integer({ min: 1, max: K }).map(String) }),
) as fc.Arbitrary<FeedChange>;

describe('a tap is decided wholly with one revision', () => {
  it('taps interleaved with batches, dropped connections and full resyncs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.array(change, { minLength: 2, maxLength: 6 }), fc.nat(K - 1), fc.nat(9)), { minLength: 5, maxLength: 60 }), async (plan) => {
        const model = new Model();
        const feed = new MemoryHotlistFeed();
        const first: FeedChange[] = CARDS.map((_, i) => ({ op: 'put', entry: { cardNumber: String(i + 1), status: 'lost', expiry: FUTURE } }));
        model.apply(feed.publish(first), first);
        const { gate, follower } = setup(feed);
        await follower.ready(2000);
        const taps: Promise<GateDecisionEvent>[] = [];
        // A tap on every turn of the event loop besides: a delta applied on a turn of its own would meet one.
        const stopTapping = tapEveryTurn(gate, taps);
        for (const [changes, card, dice] of plan) {
          taps.push(gate.tap(CARDS[card]), gate.tap(CARDS[(card + 5) % K]));
          if (dice === 0) {
            feed.disconnect();
          } else if (dice === 1) feed.purgeHistory();
          model.apply(feed.publish(changes), changes);
          if (dice >= 5) await new Promise((r) => setImmediate(r));
        }
        await until('caught up', () => follower.revision === feed.revision);
        stopTapping();
        taps.push(...CARDS.map((c) => gate.tap(c)));
        check(model, await Promise.all(taps));
        await follower.stop();
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('a full resync of a large snapshot is built aside: taps during the build see the old list, whole', async () => {
    const filler: FeedEntry[] = Array.from({ length: 70_000 }, (_, i) => ({ cardNumber: String(1_000_000 + i), status: 'blocked', expiry: FUTURE }));
    const model = new Model();
    const feed = new MemoryHotlistFeed();
    const start: FeedChange[] = [...filler.map((entry) => ({ op: 'put' as const, entry })), { op: 'put', entry: { cardNumber: '1', status: 'lost', expiry: FUTURE } }];
    model.apply(feed.publish(start), start);
    const { gate, follower } = setup(feed);
    await follower.ready(10_000);
    // Away, the feed changes card 2 and purges its history: the follower must resync.
    feed.disconnect();
    const away: FeedChange[] = [{ op: 'put', entry: { cardNumber: '2', status: 'lost', expiry: FUTURE } }];
    model.apply(feed.publish(away), away);
    feed.purgeHistory();
    const taps: Promise<GateDecisionEvent>[] = [];
    let swapped = false;
    follower.once('swap', () => (swapped = true));
    // Tap cards 1 and 2 on every turn of the event loop until the new table is in.
    await new Promise<void>((resolve) => {
      const loop = (): void => {
        taps.push(gate.tap(CARDS[0]), gate.tap(CARDS[1]));
        if (swapped) resolve();
        else setImmediate(loop);
      };
      loop();
    });
    const events = await Promise.all(taps);
    expect(follower.stats.resyncs).toBe(1);
    const revisions = new Set(events.map((e) => e.hotlistRevision));
    expect(revisions.size, 'taps both before and after the swap').toBe(2);
    check(model, events);
  }, 30_000);
});

describe('a batch is applied in one synchronous step', () => {
  it('when publish returns, the list and the revision have both moved (no await between them)', async () => {
    const feed = new MemoryHotlistFeed();
    const { gate, follower } = setup(feed);
    await follower.ready(2000);
    const rev = feed.publish([
      { op: 'put', entry: { cardNumber: '3', status: 'lost', expiry: FUTURE } },
      { op: 'put', entry: { cardNumber: '4', status: 'lost', minIssue: 9, expiry: FUTURE } },
    ]);
    expect([follower.revision, follower.hotlist.minIssueOf(3), follower.hotlist.minIssueOf(4)]).toEqual([rev, 256, 9]);
    expect(await gate.tap(CARDS[3])).toMatchObject({ reason: 'hotlisted', hotlistRevision: rev });
  });
});

describe('policy maxHotlistAgeHours: a list past its age is stale', () => {
  const feedOf = () => new MemoryHotlistFeed({ entries: [{ cardNumber: '1', status: 'lost', expiry: FUTURE }] });

  it("'deny' (the default): a card the rules allow is denied as hotlist-stale; a listed one stays hotlisted; a heartbeat makes it fresh", async () => {
    let now = NOW;
    const feed = feedOf();
    const { gate, follower } = setup(feed, { maxHotlistAgeHours: 1 }, () => now);
    await follower.ready(2000);
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: true, reason: 'ok', hotlistRevision: 1 });
    expect((await gate.tap(CARDS[1])).staleHotlist).toBeUndefined();
    now += 3_600_000; // exactly the age: not yet past it
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: true, reason: 'ok' });
    now += 1;
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: false, reason: 'hotlist-stale', staleHotlist: true, hotlistRevision: 1 });
    expect(await gate.tap(CARDS[0])).toMatchObject({ allow: false, reason: 'hotlisted', staleHotlist: true });
    expect(gate.stats.denied).toBe(2);
    feed.heartbeat();
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: true, reason: 'ok' });
    now += 3_600_001;
    feed.put({ cardNumber: '9', status: 'lost', expiry: FUTURE });
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: true, reason: 'ok', hotlistRevision: 2 });
  });

  it("'allow-flagged': allowed, and the event says it was decided on a stale list", async () => {
    let now = NOW;
    const { gate, follower } = setup(feedOf(), { maxHotlistAgeHours: 0.5, staleHotlist: 'allow-flagged' }, () => now);
    await follower.ready(2000);
    now += 1_800_001;
    expect(await gate.tap(CARDS[1])).toMatchObject({ allow: true, reason: 'ok', staleHotlist: true });
    expect(await gate.tap(CARDS[0])).toMatchObject({ allow: false, reason: 'hotlisted', staleHotlist: true });
  });

  it('a list without a source (a file) has no revision and is never stale', async () => {
    const gate = new Gate({ readMaster: READ_MASTER, policy: { maxHotlistAgeHours: 1 }, clock: () => NOW + 1e10 });
    const e = await gate.tap(CARDS[1]);
    expect(e).toMatchObject({ allow: true, reason: 'ok' });
    expect('hotlistRevision' in e || 'staleHotlist' in e).toBe(false);
  });
});
