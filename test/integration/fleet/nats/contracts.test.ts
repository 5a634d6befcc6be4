/**
 * The NATS JetStream feed and sink against the contract suites of src/fleet/contracts.ts
 * (test/helpers/fleetContracts.ts, the same the in-memory ones pass), each test on a fresh bucket
 * and stream of one real nats-server. Publishing goes through kv.put / kv.delete as the publisher
 * does; purging is the publisher's compaction (a snapshot, then the history below it dropped).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { eventSinkContract, hotlistFeedContract } from '../../../helpers/fleetContracts.js';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../../helpers/natsServer.js';
import { connectTo } from '../../../helpers/natsFleet.js';
import { NatsHotlistFeed } from '../../../../src/fleet/nats/feed.js';
import { NatsEventSink } from '../../../../src/fleet/nats/eventSink.js';
import { loadCurrent } from '../../../../src/fleet/nats/current.js';
import { writeSnapshot } from '../../../../src/fleet/nats/publish.js';
import { cardKey, encodeEntryValue } from '../../../../src/fleet/nats/entryCodec.js';
import type { PresenceEvent } from '../../../../src/fleet/contracts.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let n = 0;
describe.skipIf(natsServerMissing())('NATS JetStream implementations', () => {
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectTo(server.url);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  hotlistFeedContract('NatsHotlistFeed', async () => {
    const bucket = `contract${++n}`;
    const kv = await new Kvm(jetstream(nc)).create(bucket, { history: 10 });
    const feed = new NatsHotlistFeed({ nc, bucket });
    return {
      feed,
      publish: async (changes) => {
        let rev = 0;
        for (const c of changes) {
          if (c.op === 'put') rev = await kv.put(cardKey(c.entry.cardNumber), encodeEntryValue({ ...c.entry, cardNumber: cardKey(c.entry.cardNumber) }));
          else {
            await kv.delete(cardKey(c.cardNumber));
            rev = (await kv.status()).streamInfo.state.last_seq;
          }
        }
        return rev;
      },
      purge: async () => {
        const cur = await loadCurrent(feed);
        await writeSnapshot(nc, bucket, cur.current.values(), cur.revision, { keepRevisions: 0 });
      },
      close: async () => {},
    };
  });

  eventSinkContract('NatsEventSink', async () => {
    const stream = `EVENTS${++n}`;
    // Each test its own stream; the subjects of all are ev.>, so one at a time: delete the last.
    const jsm = await jetstreamManager(nc);
    for (const s of await jsm.streams.names().next()) if (s.startsWith('EVENTS')) await jsm.streams.delete(s);
    const sink = new NatsEventSink({ nc, stream });
    return {
      sink,
      read: async (gateId) => {
        const out: PresenceEvent[] = [];
        const info = await jsm.streams.info(stream).catch(() => undefined);
        for (let seq = info?.state.first_seq ?? 1; info && seq <= info.state.last_seq; seq++) {
          const m = await jsm.streams.getMessage(stream, { seq });
          const e = m?.json<PresenceEvent>();
          if (e?.gateId === gateId) out.push(e);
        }
        return out.sort((a, b) => a.seq - b.seq);
      },
      close: async () => {},
    };
  });
});
