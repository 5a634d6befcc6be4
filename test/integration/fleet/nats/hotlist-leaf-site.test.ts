/**
 * Issue 17 part 3: "a site may run a leaf-node nats-server, so that the site's gates keep
 * converging on the site's copy when the link to the centre is down". A hub (domain hub) and a
 * site leaf (domain site) from test/helpers/natsServer.ts startLeafPair(); the site mirrors the
 * bucket and the snapshot store (siteMirror.ts); gates connect to the site only.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startLeafPair, type LeafPair } from '../../../helpers/natsServer.js';
import { connectTo, simGate, testEntry, until, type SimGate } from '../../../helpers/natsFleet.js';
import { publishEntries } from '../../../../src/fleet/nats/publish.js';
import { mirrorHotlistToSite } from '../../../../src/fleet/nats/siteMirror.js';
import type { FeedEntry } from '../../../../src/fleet/contracts.js';

const list = (n: number, variant: number) => new Map(Array.from({ length: n }, (_, i) => ({ ...testEntry(i, variant), cardNumber: testEntry(i).cardNumber.padStart(12, '0') }) as FeedEntry).map((e) => [e.cardNumber, e]));

describe.skipIf(natsServerMissing())('a site on a leaf node', () => {
  let pair: LeafPair;
  let hubNc: NatsConnection;
  let siteNc: NatsConnection;
  const gates: SimGate[] = [];

  beforeAll(async () => {
    pair = await startLeafPair();
    hubNc = await connectTo(pair.hub.url, 'publisher');
    siteNc = await connectTo(pair.leaf.url, 'site-admin');
  });
  afterAll(async () => {
    for (const g of gates) await g.close();
    await hubNc?.close();
    await siteNc?.close();
    await pair?.stop();
  });

  test("gates on the site's copy: load it while the centre is down, converge when it is back", async () => {
    const r1 = await publishEntries(list(100, 0), { nc: hubNc });
    await mirrorHotlistToSite(siteNc, 'hub');
    gates.push(await simGate(pair.leaf.url, 'site-gate-1'));
    await gates[0].follower.ready(15_000);
    await until('the site gate at the first publication', () => gates[0].follower.revision === r1.revision);
    const r2 = await publishEntries(list(120, 1), { nc: hubNc });
    await until('the site gate at the second publication', () => gates[0].follower.revision === r2.revision, 15_000);
    // The bucket and the snapshot store are mirrored by two streams that catch up independently
    // (a CI run halted the hub while the snapshot mirror still held the first publication): the
    // site's copy is "current" only once both have caught up.
    await until('the site mirror of the second snapshot', async () => (await gates[0].feed.snapshotInfo())?.revision === r2.revision, 15_000);

    // The centre goes down: a gate started now loads the site's copy.
    await pair.hub.halt();
    gates.push(await simGate(pair.leaf.url, 'site-gate-2'));
    await gates[1].follower.ready(15_000);
    expect(gates[1].follower.revision).toBe(r2.revision);
    expect(gates[1].follower.size).toBe(120);
    // ... from the site's mirror of the snapshot object (not rebuilt from the bucket).
    expect((await gates[1].feed.snapshotInfo())?.revision).toBe(r2.revision);
    expect(gates[1].follower.hotlist.minIssueOf(Number(testEntry(3).cardNumber))).toBe(testEntry(3, 1).minIssue ?? 256);

    // Back: the next publication reaches both site gates through the mirror.
    await pair.hub.resume();
    let r3;
    for (let attempt = 1; ; attempt++) {
      try {
        r3 = await publishEntries(list(90, 2), { nc: hubNc, timeoutMs: 2_000 });
        break;
      } catch (e) {
        if (attempt >= 10) throw e;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    await until('both site gates at the third publication', () => gates.every((g) => g.follower.revision === r3.revision), 20_000);
    for (const g of gates) expect(g.follower.size).toBe(90);
  });
});
