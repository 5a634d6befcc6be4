/**
 * The gate of outbox-ingest.test.ts and outbox-nats-kill.test.ts, in its own process: a Gate on a
 * one-entry in-memory list, its decisions recorded by an EventOutbox in `dir`: WITHOUT a sink (as
 * `hmskort gate --outbox DIR` without --events, `site ingest --outbox` delivers them), or with the
 * real NatsEventSink when NATS_URL is given (as `gate --events`).
 * `node --import tsx outbox-gate-child.ts DIR SEGMENT_BYTES [NATS_URL]`; message {type:'tap', first,
 * count} taps cards first..first+count-1 and answers {type:'flushed', seq} once they are on disk;
 * {type:'drain'} answers {type:'drained', seq} once the sink holds them all.
 */
import { Gate } from '../../../../src/gate/gate.js';
import { HotlistFollower } from '../../../../src/fleet/follower.js';
import { MemoryHotlistFeed } from '../../../../src/fleet/memoryFeed.js';
import { EventOutbox } from '../../../../src/fleet/outbox.js';
import { NatsEventSink } from '../../../../src/fleet/nats/eventSink.js';
import { connect } from '@nats-io/transport-node';
import { READ_MASTER } from '../../../helpers/gateCards.js';
import { cardOf } from '../../../helpers/fleet.js';

const [dir, segmentBytes, natsUrl] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '3', status: 'lost', expiry: '2099-12-31' }] });
const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) });
await new HotlistFollower({ feed, gate }).start().ready(10_000);
const nc = natsUrl ? await connect({ servers: natsUrl, maxReconnectAttempts: -1, reconnectTimeWait: 200 }) : undefined;
const sink = nc ? new NatsEventSink({ nc, timeoutMs: 1000 }) : undefined;
const box = await EventOutbox.open({ dir, gateId: 'gate-kill', site: 'test', segmentBytes, sink, batchSize: 8, retryMinMs: 50, retryMaxMs: 500, sendTimeoutMs: 2000 });
box.attach(gate);
process.on('message', (m: { type: string; first: number; count: number }) => {
  if (m.type === 'drain') void box.drained(30_000).then(() => process.send!({ type: 'drained', seq: box.deliveredSeq }));
  if (m.type !== 'tap') return;
  void (async () => {
    for (let i = m.first; i < m.first + m.count; i++) await gate.tap(cardOf(i));
    await box.flush();
    process.send!({ type: 'flushed', seq: box.seq - 1 });
  })();
});
process.send!({ type: 'ready' });
