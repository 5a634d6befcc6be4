/**
 * Issue 17 part 6: "a delta published reaches 50 simulated gates" — publisher and gates on a real
 * nats-server (test/helpers/natsServer.ts), each gate a HotlistFollower on its own connection. The
 * expected lists are the CSV files written here, read back through the gate's own table lookups.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { natsServerMissing } from '../../../helpers/natsServer.js';
import { fleetFixture, simGate, testEntry, until, writeList, type FleetFixture, type SimGate } from '../../../helpers/natsFleet.js';
import { publishHotlist } from '../../../../src/fleet/nats/publish.js';
import type { FeedEntry } from '../../../../src/fleet/contracts.js';

const missing = natsServerMissing();

describe.skipIf(missing)('hot list over NATS reaches every gate', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await fleetFixture();
  });
  afterAll(() => fx?.close());

  const listed = (g: SimGate, e: FeedEntry) => g.follower.hotlist.minIssueOf(Number(e.cardNumber));

  test('first publication, then a delta of one put, one change and one removal reaches 50 gates', async () => {
    const base = Array.from({ length: 200 }, (_, i) => testEntry(i));
    const r1 = await publishHotlist(await writeList(join(fx.dir, 'v1.csv'), base), { nc: fx.pub });
    expect(r1).toMatchObject({ added: 200, changed: 0, removed: 0, entries: 200, snapshotRevision: r1.revision });

    for (let i = 0; i < 50; i++) fx.gates.push(await simGate(fx.server.url, `gate-${i}`));
    await Promise.all(fx.gates.map((g) => g.follower.ready(10_000)));
    for (const g of fx.gates) {
      expect(g.follower.revision).toBe(r1.revision);
      expect(g.follower.size).toBe(200);
    }

    // v2: entry 0 removed, entry 1 changed (status and minIssue), entry 500 added.
    const changedEntry: FeedEntry = { ...testEntry(1), status: 'destroyed', minIssue: 9 };
    const v2 = [changedEntry, ...base.slice(2), testEntry(500)];
    const r2 = await publishHotlist(await writeList(join(fx.dir, 'v2.csv'), v2), { nc: fx.pub });
    expect(r2).toMatchObject({ added: 1, changed: 1, removed: 1, entries: 200 });
    expect(r2.revision).toBe(r1.revision + 3);

    await until('every gate at the new revision', () => fx.gates.every((g) => g.follower.revision === r2.revision));
    for (const g of fx.gates) {
      expect(listed(g, base[0])).toBe(0); // NOT_LISTED
      expect(listed(g, changedEntry)).toBe(9);
      expect(listed(g, testEntry(500))).toBe(testEntry(500).minIssue ?? 256);
      expect(g.follower.size).toBe(200);
    }
  });

  test('publishing the same file again puts nothing', async () => {
    const before = fx.gates[0].follower.revision;
    const v2 = [{ ...testEntry(1), status: 'destroyed' as const, minIssue: 9 }, ...Array.from({ length: 198 }, (_, i) => testEntry(i + 2)), testEntry(500)];
    const r = await publishHotlist(await writeList(join(fx.dir, 'v2b.csv'), v2), { nc: fx.pub });
    expect(r).toMatchObject({ added: 0, changed: 0, removed: 0, revision: before });
  });
});
