/**
 * Publishing presence events onto a real JetStream events stream for the ingest tests, the way a
 * gate does (subject ev.<site>.<gate>, message id <gate>:<seq>), plus what a test reads back.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { INGEST_DURABLE } from '../../src/fleet/store/ingest.js';
import { ensureEventsStream } from '../../src/fleet/nats/eventsStream.js';
import { EVENTS_STREAM } from '../../src/fleet/nats/names.js';
import type { PresenceEvent } from '../../src/fleet/contracts.js';
import { eventBytes } from './presenceEvents.js';

export async function natsConnect(url: string): Promise<NatsConnection> {
  return connect({ servers: url, timeout: 5000 });
}

/** Deletes and re-creates the events stream: each test starts from an empty stream and no consumer. */
export async function freshEventsStream(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(EVENTS_STREAM).catch(() => false);
  await ensureEventsStream(jsm);
}

/** Publishes each event; `idSuffix` makes a re-send look new to the dedupe window (a gate offline longer than it). */
export async function publishEvents(nc: NatsConnection, events: readonly PresenceEvent[], idSuffix = ''): Promise<void> {
  const js = jetstream(nc, { timeout: 5000 });
  await Promise.all(events.map((e) => js.publish(`ev.${e.site}.${e.gateId}`, eventBytes(e), { msgID: `${e.gateId}:${e.seq}${idSuffix}` })));
}

export async function publishRaw(nc: NatsConnection, subject: string, body: Uint8Array | string): Promise<void> {
  await jetstream(nc, { timeout: 5000 }).publish(subject, body);
}

/** The ingest consumer's outstanding counts: delivered and not acknowledged, and not yet delivered. */
export async function consumerBacklog(nc: NatsConnection): Promise<{ ackPending: number; pending: number; redelivered: number }> {
  const info = await (await jetstreamManager(nc)).consumers.info(EVENTS_STREAM, INGEST_DURABLE);
  return { ackPending: info.num_ack_pending, pending: info.num_pending, redelivered: info.num_redelivered };
}
