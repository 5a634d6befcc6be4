/**
 * Issue 17 part 6: "a gate that is disconnected while 10 000 deltas are published, some of them
 * purged from the bucket's history, converges by full resync and never decides on a half-applied
 * list". The gate's link runs through a relay the test cuts (test/helpers/tcpProxy.ts); the deltas
 * are kv.put calls whose returned revisions give the exact list at every revision (the model), and
 * while the gate resyncs, every event-loop turn checks that the whole list it decides with equals
 * the model at the revision it claims.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Empty, headers, type NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../../helpers/natsServer.js';
import { startTcpProxy, type TcpProxy } from '../../../helpers/tcpProxy.js';
import { connectTo, simGate, testEntry, until, type SimGate } from '../../../helpers/natsFleet.js';
import { publishEntries, writeSnapshot } from '../../../../src/fleet/nats/publish.js';
import { encodeEntryValue } from '../../../../src/fleet/nats/entryCodec.js';
import type { FeedEntry } from '../../../../src/fleet/contracts.js';

const CARDS = 2_000;
const DELTAS = 10_000;

/** minIssueOf as the gate's table answers it (256: every issue; 0: not listed). */
const lookupValue = (e: FeedEntry | undefined) => (e ? (e.minIssue ?? 256) : 0);

describe.skipIf(natsServerMissing())('a gate cut off while 10 000 deltas are published and purged', () => {
  let server: NatsServerHandle;
  let proxy: TcpProxy;
  let pub: NatsConnection;
  let online: SimGate;
  let cutOff: SimGate;

  beforeAll(async () => {
    server = await startNatsServer();
    proxy = await startTcpProxy(server.port);
    pub = await connectTo(server.url, 'publisher');
  }, 60_000);
  afterAll(async () => {
    await online?.close();
    await cutOff?.close();
    await pub?.close();
    await proxy?.close();
    await server?.stop();
  });

  test('converges by full resync; no list it decides with is half applied', async () => {
    const base = new Map(Array.from({ length: CARDS }, (_, i) => testEntry(i)).map((e) => [e.cardNumber.padStart(12, '0'), { ...e, cardNumber: e.cardNumber.padStart(12, '0') }]));
    const r0 = await publishEntries(base, { nc: pub });
    online = await simGate(server.url, 'online');
    cutOff = await simGate(proxy.url, 'cut-off');
    await Promise.all([online.follower.ready(10_000), cutOff.follower.ready(10_000)]);
    expect(cutOff.follower.revision).toBe(r0.revision);

    // history[card] = [revision, value][] ascending: the model of the list at any revision.
    const cards = [...base.keys()];
    const history = new Map(cards.map((c) => [c, [[r0.revision, lookupValue(base.get(c))]] as [number, number][]]));
    const modelAt = (card: string, rev: number) => {
      const h = history.get(card)!;
      let v = 0;
      for (const [r, x] of h) if (r <= rev) v = x;
      return v;
    };

    await proxy.cut();
    const js = jetstream(pub);
    const kv = await new Kvm(js).open('hotlist');
    const delHeaders = () => {
      const h = headers();
      h.set('KV-Operation', 'DEL');
      return h;
    };
    const live = new Map(base);
    // 10 000 deltas: puts with a new minIssue, and every fifth a removal; in windows of 500.
    for (let start = 0; start < DELTAS; start += 500) {
      const batch = Array.from({ length: 500 }, (_, k) => {
        const i = start + k;
        const card = cards[(i * 7919) % CARDS];
        if (i % 5 === 4) return { card, entry: undefined };
        return { card, entry: { ...testEntry((i * 7919) % CARDS, i), cardNumber: card, minIssue: i % 250 } as FeedEntry };
      });
      // kv.delete returns no revision: publish its DEL marker as nats.js kv.delete does (header
      // KV-Operation: DEL, kv/src/kv.ts _deleteOrPurge) to get the PubAck's sequence.
      const revs = await Promise.all(batch.map((b) => (b.entry ? kv.put(b.card, encodeEntryValue(b.entry)) : js.publish(`$KV.hotlist.${b.card}`, Empty, { headers: delHeaders() }).then((pa) => pa.seq))));
      for (let k = 0; k < batch.length; k++) {
        const b = batch[k];
        const rev = revs[k];
        history.get(b.card)!.push([rev, lookupValue(b.entry)]);
        if (b.entry) live.set(b.card, b.entry);
        else live.delete(b.card);
      }
    }
    for (const h of history.values()) h.sort((a, b) => a[0] - b[0]);
    const head = (await kv.status()).streamInfo.state.last_seq;
    expect(head).toBe(r0.revision + DELTAS);
    // Snapshot at the head, keep 9 000 deltas behind it: the cut-off gate's revision is purged.
    const floor = await writeSnapshot(pub, 'hotlist', live.values(), head, { keepRevisions: 9_000 });
    expect(floor).toBe(head + 1 - 9_000);
    expect((await kv.status()).streamInfo.state.first_seq).toBeGreaterThan(cutOff.follower.revision + 1);
    await until('the online gate at the head', () => online.follower.revision === head);

    // While the cut-off gate reconnects and resyncs, check what it decides with on every turn.
    let checks = 0;
    let bad: string | undefined;
    let watching = true;
    const check = () => {
      const rev = cutOff.follower.revision;
      const table = cutOff.follower.hotlist;
      for (const c of cards) {
        const got = table.minIssueOf(Number(c));
        if (got !== modelAt(c, rev)) {
          bad ??= `card ${c} at revision ${rev}: the gate says ${got}, the list at that revision ${modelAt(c, rev)}`;
          break;
        }
      }
      checks++;
      if (watching) setImmediate(check);
    };
    check();
    await proxy.restore();
    await until('the cut-off gate at the head', () => cutOff.follower.revision === head, 15_000);
    watching = false;
    expect(bad).toBeUndefined();
    expect(checks).toBeGreaterThan(1);
    expect(cutOff.follower.stats.resyncs).toBeGreaterThanOrEqual(1);
    expect(cutOff.follower.size).toBe(live.size);
    for (const c of cards) expect(cutOff.follower.hotlist.minIssueOf(Number(c))).toBe(lookupValue(live.get(c)));
  });
});
