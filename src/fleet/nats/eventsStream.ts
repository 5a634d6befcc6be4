/**
 * The events stream's settings (issue 17 part 3; retention issue 18 part 4), in one place for both
 * sides that may create it first: the gates' NatsEventSink and the site's ingest consumer.
 *
 * - File storage, the 2 min default duplicate window (message id `<gateId>:<seq>`, eventSink.ts).
 * - `max_age` RAW_EVENT_RETENTION_DAYS (30, src/fleet/retention.ts): the events carry holder names
 *   and birth dates, and issue 18 keeps raw events 30 days by default; the stream is a transport, not an archive, so it keeps a
 *   message no longer than that (nats.docs, nats-concepts/jetstream/streams.md: MaxAge, limits
 *   retention). The cost, documented in docs/fleet.md: an event not ingested within 30 days (the
 *   ingest down that long) is gone. A stream created before this had no limit: ensureEventsStream
 *   sets it (MaxAge is one of the settings a stream update may change).
 */
import { nanos } from '@nats-io/transport-node';
import { JetStreamApiCodes, JetStreamApiError, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from './names.js';
import { RAW_EVENT_RETENTION_DAYS } from '../retention.js';

const DAY_MS = 86_400_000;

/** The settings of a new events stream named `name`. */
export function eventsStreamConfig(name: string = EVENTS_STREAM): Partial<StreamConfig> & { name: string } {
  return { name, subjects: [EVENTS_SUBJECTS], storage: StorageType.File, duplicate_window: nanos(120_000), max_age: nanos(RAW_EVENT_RETENTION_DAYS * DAY_MS) };
}

/** A JetStream API error with this code (StreamNotFound, ConsumerNotFound, ...). */
export function isApiError(e: unknown, code: number): boolean {
  return e instanceof JetStreamApiError && e.code === code;
}

/** Creates the events stream when it does not exist; gives an unlimited one (older versions) its max_age. */
export async function ensureEventsStream(jsm: JetStreamManager, name: string = EVENTS_STREAM): Promise<void> {
  const want = eventsStreamConfig(name);
  try {
    const info = await jsm.streams.info(name);
    if (!info.config.max_age) await jsm.streams.update(name, { ...info.config, max_age: want.max_age });
  } catch (e) {
    if (!isApiError(e, JetStreamApiCodes.StreamNotFound)) throw e;
    try {
      await jsm.streams.add(want);
    } catch (e2) {
      // The other side created it at the same moment: fine when it now exists.
      await jsm.streams.info(name).catch(() => Promise.reject(e2));
    }
  }
}
