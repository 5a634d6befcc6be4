/**
 * The ingest consumer (issue 17 part 3): a durable JetStream pull consumer on the events stream,
 * each fetched batch stored in one transaction and acknowledged after COMMIT (ingestBatch.ts).
 *
 * Pull, durable, explicit ack: the server keeps the consumer's position across restarts of this
 * process and redelivers what was not acknowledged within `ack_wait` (nats.docs,
 * nats-concepts/jetstream/consumers.md: AckWait, MaxDeliver -1, MaxAckPending). `fetch` returns
 * when the batch is full or after `expires` (at least 1 s, nats.js FetchMessages), so a quiet
 * stream still commits within a second. A batch that fails (database or server down) is left
 * unacknowledged, counted, reported, and retried after a pause: the consumer never exits on a bad
 * batch, only when its signal aborts.
 */
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, JetStreamApiCodes, jetstream, jetstreamManager, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { SqlDb } from './db.js';
import { StoreError } from './errors.js';
import { ingestBatch, type BatchHooks } from './ingestBatch.js';
import { addBatch, emptyTotals, progressMeter, type IngestProgress } from './progress.js';
import { pause } from '../../transport/wait.js';
import { redact } from '../redact.js';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from '../nats/names.js';
import { ensureEventsStream, isApiError } from '../nats/eventsStream.js';
export const INGEST_DURABLE = 'ingest';

export interface IngestOptions {
  /** NATS server URL(s), comma-separated. */
  servers: string;
  db: SqlDb;
  /** Stops the consumer (after the batch in hand is stored and acknowledged). */
  signal: AbortSignal;
  stream?: string;
  durable?: string;
  /** Messages per fetch, one transaction each; default 500. */
  batch?: number;
  /** How long a fetch waits for a full batch, ms (nats.js minimum 1000); default 1000. */
  expiresMs?: number;
  /** The consumer's ack_wait when it is created, ms; default 30 000. Longer than the worst batch. */
  ackWaitMs?: number;
  /** Progress every this many ms (and once at the end); default 1000. */
  progressMs?: number;
  onProgress?(p: IngestProgress): void;
  /** A batch that failed and will be retried; the consumer goes on. */
  onError?(e: Error): void;
  /** Stop once this many messages were handled (tests, bench). */
  stopAfter?: number;
  hooks?: BatchHooks;
  connectTimeoutMs?: number;
}

async function ensureConsumer(jsm: JetStreamManager, stream: string, durable: string, ackWaitMs: number, batch: number): Promise<void> {
  try {
    await jsm.consumers.info(stream, durable);
  } catch (e) {
    if (!isApiError(e, JetStreamApiCodes.ConsumerNotFound)) throw e;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ackWaitMs),
      max_deliver: -1,
      max_ack_pending: Math.max(1000, 2 * batch),
      filter_subject: EVENTS_SUBJECTS,
    });
  }
}

async function connectTo(servers: string, timeoutMs: number): Promise<NatsConnection> {
  try {
    return await connect({ servers: servers.split(','), name: 'hmskort-site-ingest', maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: timeoutMs });
  } catch (e) {
    throw new StoreError('NATS_UNAVAILABLE', redact(`cannot connect to ${servers}: ${(e as Error).message}`), { cause: e });
  }
}

/** Runs until `signal` aborts (or `stopAfter`); resolves with the final totals. */
export async function runIngest(opts: IngestOptions): Promise<IngestProgress> {
  const { db, signal } = opts;
  const stream = opts.stream ?? EVENTS_STREAM;
  const durable = opts.durable ?? INGEST_DURABLE;
  const batch = opts.batch ?? 500;
  const nc = await connectTo(opts.servers, opts.connectTimeoutMs ?? 5000);
  const totals = emptyTotals();
  const sample = progressMeter(totals);
  const timer = setInterval(() => opts.onProgress?.(sample()), opts.progressMs ?? 1000);
  try {
    let jsm: JetStreamManager;
    try {
      jsm = await jetstreamManager(nc, { timeout: 5000 });
      await ensureEventsStream(jsm, stream);
      await ensureConsumer(jsm, stream, durable, opts.ackWaitMs ?? 30_000, batch);
    } catch (e) {
      throw new StoreError('NATS_UNAVAILABLE', redact(`${opts.servers}: cannot set up the consumer ${stream}/${durable}: ${(e as Error).message}`), { cause: e });
    }
    const consumer = await jetstream(nc).consumers.get(stream, durable);
    while (!signal.aborted && !(opts.stopAfter !== undefined && totals.messages >= opts.stopAfter)) {
      const msgs: JsMsg[] = [];
      try {
        const it = await consumer.fetch({ max_messages: batch, expires: Math.max(1000, opts.expiresMs ?? 1000) });
        for await (const m of it) msgs.push(m);
        if (msgs.length) addBatch(totals, await ingestBatch(db, msgs, opts.hooks));
      } catch (e) {
        // Unacknowledged messages come back after ack_wait; nothing of this batch was acknowledged.
        totals.failures++;
        opts.onError?.(e instanceof Error ? e : new Error(String(e)));
        await pause(1000, signal);
      }
    }
  } finally {
    clearInterval(timer);
    await nc.drain().catch(() => nc.close());
  }
  const last = sample();
  opts.onProgress?.(last);
  return last;
}
