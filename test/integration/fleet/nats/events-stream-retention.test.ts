/**
 * Issue 18 part 4 on the NATS side: raw events (holder names, birth dates) are kept 30 days by
 * default, so the events stream, whichever side creates it, keeps a message no longer than that
 * (max_age; nats.docs streams.md: MaxAge), and a stream created by an older version without a
 * limit gets one. Real nats-server (test/helpers/natsServer.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from '../../../helpers/natsServer.js';
import { connectTo } from '../../../helpers/natsFleet.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';
import { NatsEventSink } from '../../../../src/fleet/nats/eventSink.js';
import { ensureEventsStream } from '../../../../src/fleet/nats/eventsStream.js';

const THIRTY_DAYS_NS = 30 * 86_400 * 1e9; // the default, written out: not our constant

describe.skipIf(natsServerMissing())('the events stream keeps raw events at most 30 days', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connectTo(server.url);
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  test("created by a gate's sink (the first event): max_age 30 days, the event stored", async () => {
    await jsm.streams.delete('EVENTS').catch(() => false);
    await new NatsEventSink({ nc }).append([presenceEvent('g1', 1, 's1')]);
    const info = await jsm.streams.info('EVENTS');
    expect(info.config.max_age).toBe(THIRTY_DAYS_NS);
    expect(info.state.messages).toBe(1);
  });

  test('created by the ingest side: the same', async () => {
    await jsm.streams.delete('EVENTS').catch(() => false);
    await ensureEventsStream(jsm);
    expect((await jsm.streams.info('EVENTS')).config.max_age).toBe(THIRTY_DAYS_NS);
  });

  test('an unlimited stream of an older version gets the limit and keeps its messages', async () => {
    await jsm.streams.delete('EVENTS').catch(() => false);
    await jsm.streams.add({ name: 'EVENTS', subjects: ['ev.>'], storage: StorageType.File });
    await new NatsEventSink({ nc }).append([presenceEvent('g1', 1, 's1')]);
    const info = await jsm.streams.info('EVENTS');
    expect(info.config.max_age).toBe(THIRTY_DAYS_NS);
    expect(info.state.messages).toBe(1);
  });
});
