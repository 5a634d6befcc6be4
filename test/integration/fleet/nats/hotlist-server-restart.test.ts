/**
 * Issue 17 part 6: "nats-server restarted during publishing". Ten versions of a list are published
 * one after the other while the server is restarted (same port, same store: test/helpers/
 * natsServer.ts restart()) in the middle; a publication cut by the restart fails with an error and
 * is simply run again (the publisher puts only the difference, so a rerun finishes the job). The
 * gates ride the restart on their reconnecting connections and end on the last version.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { natsServerMissing } from '../../../helpers/natsServer.js';
import { fleetFixture, simGate, testEntry, until, writeList, type FleetFixture, type SimGate } from '../../../helpers/natsFleet.js';
import { publishHotlist, type PublishResult } from '../../../../src/fleet/nats/publish.js';

describe.skipIf(natsServerMissing())('nats-server restarted during publishing', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await fleetFixture();
  });
  afterAll(() => fx?.close());

  test('every gate ends on the last version; a cut publication succeeds when run again', async () => {
    // Version v lists cards v*30 .. v*30+299 with variant v: each version adds, changes and removes.
    const version = (v: number) => Array.from({ length: 300 }, (_, i) => testEntry(v * 30 + i, v));
    await publishHotlist(await writeList(join(fx.dir, 'v0.csv'), version(0)), { nc: fx.pub });
    for (let i = 0; i < 5; i++) fx.gates.push(await simGate(fx.server.url, `gate-${i}`));
    await Promise.all(fx.gates.map((g) => g.follower.ready(10_000)));

    let restarted: Promise<void> | undefined;
    let failures = 0;
    let last: PublishResult | undefined;
    for (let v = 1; v <= 8; v++) {
      const file = await writeList(join(fx.dir, `v${v}.csv`), version(v));
      if (v === 3) restarted = fx.server.restart();
      for (let attempt = 1; ; attempt++) {
        try {
          last = await publishHotlist(file, { nc: fx.pub, timeoutMs: 2_000 });
          break;
        } catch (e) {
          failures++;
          if (attempt >= 20) throw e;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
    await restarted;
    expect(last!.entries).toBe(300);
    // Reads back: the final publication is idempotent.
    const again = await publishHotlist(join(fx.dir, 'v8.csv'), { nc: fx.pub });
    expect(again).toMatchObject({ added: 0, changed: 0, removed: 0, revision: last!.revision });

    await until('every gate on the last revision', () => fx.gates.every((g) => g.follower.revision === last!.revision), 15_000);
    const want = version(8);
    for (const g of fx.gates) {
      expect(g.follower.size).toBe(300);
      for (const e of want) expect(g.follower.hotlist.minIssueOf(Number(e.cardNumber))).toBe(e.minIssue ?? 256);
      expect(g.follower.hotlist.minIssueOf(Number(testEntry(200).cardNumber))).toBe(0); // dropped by v8 (starts at 240)
    }
    // How often the restart cut a publication: informative, not asserted (timing).
    console.log(`publications cut by the restart: ${failures}`);
  }, 60_000);
});
