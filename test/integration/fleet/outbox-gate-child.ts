/**
 * The child process of outbox-sigkill.test.ts: a gate that follows an in-memory feed, taps `count`
 * cards, records its decisions in an EventOutbox in `dir`, and delivers them to a sink that is the
 * parent process (over the IPC channel: append = a message, resolved by the parent's answer).
 * It reports 'flushed' (every decision on disk, with the last seq) and, when asked, 'drained'.
 */
import { Gate } from '../../../src/gate/gate.js';
import { HotlistFollower } from '../../../src/fleet/follower.js';
import { MemoryHotlistFeed } from '../../../src/fleet/memoryFeed.js';
import { EventOutbox } from '../../../src/fleet/outbox.js';
import { FleetError } from '../../../src/fleet/errors.js';
import type { EventSink, PresenceEvent } from '../../../src/fleet/contracts.js';
import { READ_MASTER } from '../../helpers/gateCards.js';
import { cardOf } from '../../helpers/fleet.js';

const [dir, first, count] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const send = (m: unknown): void => void process.send!(m);

let nextId = 1;
const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
process.on('message', (m: { type: string; id?: number }) => {
  if (m.type === 'ack' || m.type === 'nack') {
    const w = waiting.get(m.id!);
    waiting.delete(m.id!);
    if (m.type === 'ack') w?.resolve();
    else w?.reject(new FleetError('SINK_FAILED', 'the parent refused'));
  } else if (m.type === 'drain') void box.drained(20_000).then(() => send({ type: 'drained', seq: box.deliveredSeq }));
});
const parentSink: EventSink = {
  append(events: readonly PresenceEvent[], signal?: AbortSignal) {
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => reject(new FleetError('SINK_FAILED', 'aborted')), { once: true });
      send({ type: 'append', id, events });
    });
  },
};

const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '3', status: 'lost', expiry: '2099-12-31' }] });
const gate = new Gate({ readMaster: READ_MASTER, clock: () => Date.UTC(2027, 0, 1) });
const follower = new HotlistFollower({ feed, gate }).start();
await follower.ready(10_000);
const box = await EventOutbox.open({ dir, gateId: 'gate-kill', site: 'test', sink: parentSink, batchSize: 8, retryMinMs: 5, retryMaxMs: 50, sendTimeoutMs: 60_000 });
box.attach(gate);
for (let i = first; i < first + count; i++) await gate.tap(cardOf(i));
await box.flush();
send({ type: 'flushed', seq: box.seq - 1, revision: follower.revision });
