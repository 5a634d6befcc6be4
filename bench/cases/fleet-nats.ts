/**
 * The fleet on NATS JetStream (issue 17 part 7), against a real nats-server started here
 * (test/helpers/natsServer.ts) and stopped in each row's `extra`:
 *   fleet-nats/propagation-{1,100}-gates  one kv.put at the publisher -> the delta applied in the
 *       table of every gate (each a HotlistFollower on its own connection). medianNs / p99Ns are
 *       the p50 / p99 of that time.
 *   fleet-nats/startup-1m-snapshot  a gate's start-up from a 1 000 000-entry snapshot object: the
 *       snapshot read and decoded (src/fleet/nats/feed.ts), built into the table aside, caught up
 *       with the (empty) bucket; to compare with hotlist-load-1m/csv (the same count of numbers
 *       parsed from a CSV file in memory), with the memory the loaded list keeps.
 * Each row's result is checked: the value read back from the gate's table is the one just put.
 */
import type { BenchCase } from '../harness.js';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { startNatsServer, type NatsServerHandle } from '../../test/helpers/natsServer.js';
import { connectTo } from '../../test/helpers/natsFleet.js';
import { HotlistFollower } from '../../src/fleet/follower.js';
import type { FeedDelta, HotlistFeed } from '../../src/fleet/contracts.js';
import { NatsHotlistFeed } from '../../src/fleet/nats/feed.js';
import { publishEntries, writeSnapshot } from '../../src/fleet/nats/publish.js';
import { encodeEntryValue } from '../../src/fleet/nats/entryCodec.js';
import type { FeedEntry } from '../../src/fleet/contracts.js';

const CARD = '000700000001';

interface PropState {
  server: NatsServerHandle;
  pub: NatsConnection;
  kv: KV;
  gates: { nc: NatsConnection; follower: HotlistFollower }[];
  /** Resolves when every gate applied `revision`. */
  waitAll(revision: number): Promise<void>;
  n: number;
}

async function propagationSetup(n: number): Promise<PropState> {
  const server = await startNatsServer({ name: 'hmsbench' });
  const pub = await connectTo(server.url, 'bench-publisher');
  await publishEntries(new Map([[CARD, { cardNumber: CARD, status: 'lost', minIssue: 0, expiry: '2099-12-31' }]]), { nc: pub });
  const kv = await new Kvm(jetstream(pub)).open('hotlist');
  const applied = new Array<number>(n).fill(0);
  let waiter: { revision: number; resolve: () => void } | undefined;
  const check = () => {
    if (waiter && applied.every((r) => r >= waiter!.revision)) {
      const w = waiter;
      waiter = undefined;
      w.resolve();
    }
  };
  const gates = [];
  for (let i = 0; i < n; i++) {
    const nc = await connectTo(server.url, `bench-gate-${i}`);
    const real = new NatsHotlistFeed({ nc });
    // The follower applies a delta synchronously in onDelta: right after it, the gate has it.
    const feed: HotlistFeed = {
      snapshot: (s) => real.snapshot(s),
      watch: (after, h, signal) =>
        real.watch(after, { onDelta: (d: FeedDelta) => (h.onDelta(d), (applied[i] = d.revision), check()), onCaughtUp: h.onCaughtUp }, signal),
    };
    const follower = new HotlistFollower({ feed }).start();
    await follower.ready(30_000);
    gates.push({ nc, follower });
  }
  return {
    server,
    pub,
    kv,
    gates,
    n,
    waitAll: (revision) =>
      new Promise<void>((resolve) => {
        waiter = { revision, resolve };
        check();
      }),
  };
}

async function teardown(s: { server: NatsServerHandle; pub: NatsConnection; gates: { nc: NatsConnection; follower: HotlistFollower }[] }) {
  for (const g of s.gates) {
    await g.follower.stop();
    await g.nc.close();
  }
  await s.pub.close();
  await s.server.stop();
}

let issue = 0;
function propagationCase(n: number): BenchCase<PropState> {
  return {
    name: `fleet-nats/propagation-${n}-gates`,
    setup: () => propagationSetup(n),
    fn: async (s) => {
      issue = (issue + 1) % 250;
      const rev = await s.kv.put(CARD, encodeEntryValue({ cardNumber: CARD, status: 'lost', minIssue: issue, expiry: '2099-12-31' }));
      await s.waitAll(rev);
      return issue;
    },
    check: (want: number, s) => s.gates.every((g) => g.follower.hotlist.minIssueOf(Number(CARD)) === want),
    measureAlloc: false,
    mitata: { min_samples: n === 1 ? 200 : 50, min_cpu_time: 1e9 },
    extra: async (s) => {
      await teardown(s);
      return { gates: n, connections: n + 1 };
    },
  };
}

interface StartState {
  server: NatsServerHandle;
  pub: NatsConnection;
  gates: [];
  entries: number;
  objectBytes?: number;
}

const HOT = 1_000_000;
function* million(): Generator<FeedEntry> {
  for (let i = 0; i < HOT; i++) {
    const n = 1 + i * 999_983;
    yield { cardNumber: String(n).padStart(12, '0'), status: i % 5 === 0 ? 'stolen' : 'lost', ...(i % 7 === 0 ? {} : { minIssue: i % 200 }), expiry: '2099-12-31' };
  }
}

const startupCase: BenchCase<StartState> = {
  name: 'fleet-nats/startup-1m-snapshot',
  setup: async () => {
    const server = await startNatsServer({ name: 'hmsbench' });
    const pub = await connectTo(server.url, 'bench-publisher');
    await new Kvm(jetstream(pub)).create('hotlist', { history: 10 });
    await writeSnapshot(pub, 'hotlist', million(), 0);
    return { server, pub, gates: [], entries: HOT };
  },
  fn: async (s) => {
    const nc = await connectTo(s.server.url, 'bench-gate');
    const follower = new HotlistFollower({ feed: new NatsHotlistFeed({ nc }) }).start();
    await follower.ready(120_000);
    await follower.stop();
    await nc.close();
    return follower;
  },
  check: (f: HotlistFollower) => f.size === HOT && f.hotlist.minIssueOf(1 + 7 * 999_983) === 256 && f.hotlist.minIssueOf(1 + 3 * 999_983) === 3 && f.hotlist.minIssueOf(2) === 0,
  measureAlloc: false,
  mitata: { min_samples: 5, min_cpu_time: 1e9 },
  extra: async (s) => {
    const settled = async () => {
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((r) => setTimeout(r, 100));
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage();
    };
    const nc = await connectTo(s.server.url, 'bench-gate');
    const m0 = await settled();
    const follower = new HotlistFollower({ feed: new NatsHotlistFeed({ nc }) }).start();
    await follower.ready(120_000);
    await follower.stop();
    const m1 = await settled();
    const info = await new NatsHotlistFeed({ nc }).snapshotInfo();
    const kept = { heapBytes: m1.heapUsed - m0.heapUsed, arrayBufferBytes: m1.arrayBuffers - m0.arrayBuffers, tableBytes: follower.hotlist.byteLength, entries: follower.size, snapshotRevision: info?.revision };
    await nc.close();
    await teardown(s);
    return { retained: kept };
  },
};

export const cases: BenchCase<any>[] = [propagationCase(1), propagationCase(100), startupCase];
