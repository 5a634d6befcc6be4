/**
 * Events to a JetStream stream (issue 17 part 3): subject `ev.<site>.<gate>`, message id
 * `<gateId>:<seq>` (Nats-Msg-Id: a repeat within the stream's duplicate window is stored once,
 * PubAck.duplicate; research/fleet.md 1.5), body = the PresenceEvent as JSON. `append` resolves
 * once every event has its PubAck, i.e. is stored by the server; a failure rejects and the gate's
 * outbox keeps the events for the next try. The window is 2 minutes (the server default): a gate
 * offline longer re-sends as new messages, and the store's unique (site_id, gate_id, seq) is the real dedupe.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { EventSink, PresenceEvent } from '../contracts.js';
import { EVENTS_STREAM, SUBJECT_TOKEN } from './names.js';
import { ensureEventsStream } from './eventsStream.js';
import { hotlistAgeProblem } from '../hotlistAge.js';
import { FleetError } from '../errors.js';
import { needObject } from '../../codec/guard.js';

export interface NatsEventSinkOptions {
  nc: NatsConnection;
  /** Default EVENTS (subjects ev.>), created when absent. */
  stream?: string;
  /** Bound of each publish (default 5 000 ms). */
  timeoutMs?: number;
}

export class NatsEventSink implements EventSink {
  private readonly js: JetStreamClient;
  private readonly stream: string;
  private readonly timeoutMs: number;
  private ready?: Promise<void>;
  /** PubAcks that said "duplicate" (already stored): what the message id saved. */
  duplicates = 0;

  constructor(opts: NatsEventSinkOptions) {
    needObject('NatsEventSink', 'opts', opts);
    needObject('NatsEventSink', 'opts.nc', opts.nc);
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.js = jetstream(opts.nc, { timeout: this.timeoutMs });
    this.stream = opts.stream ?? EVENTS_STREAM;
  }

  /** Creates the stream if absent (once per sink; again after a failure): eventsStream.ts's settings. */
  private ensureStream(): Promise<void> {
    this.ready ??= (async () => ensureEventsStream(await this.js.jetstreamManager(), this.stream))().catch((e) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  async append(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<void> {
    // All or nothing: a batch with one event that is not one is refused before anything is sent.
    for (const ev of events) {
      const problem = eventProblem(ev);
      if (problem) throw new FleetError('EVENT_MALFORMED', `not a presence event (${problem}): ${JSON.stringify(ev)?.slice(0, 80)}`);
    }
    signal?.throwIfAborted();
    await this.ensureStream();
    // All published at once, in order on the one connection (JetStream stores them in arrival
    // order), then every PubAck awaited.
    const acks = events.map((ev) => this.js.publish(`ev.${ev.site}.${ev.gateId}`, JSON.stringify(ev), { msgID: `${ev.gateId}:${ev.seq}`, timeout: this.timeoutMs }));
    const settled = await Promise.allSettled(acks);
    for (const s of settled) if (s.status === 'fulfilled' && s.value.duplicate) this.duplicates++;
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}

/** Why `e` cannot go on the stream: ids that are not subject tokens, a seq that is not 1 or more, no decision. */
function eventProblem(e: PresenceEvent): string | undefined {
  if (!e || typeof e !== 'object') return 'not an object';
  if (typeof e.site !== 'string' || !SUBJECT_TOKEN.test(e.site) || typeof e.gateId !== 'string' || !SUBJECT_TOKEN.test(e.gateId)) return 'site and gateId must be 1-64 of A-Z a-z 0-9 _ - (subject tokens)';
  if (!Number.isSafeInteger(e.seq) || e.seq < 1) return 'seq must be an integer of 1 or more';
  if (!Number.isSafeInteger(e.hotlistRevision) || e.hotlistRevision < 0) return 'hotlistRevision must be an integer of 0 or more';
  const age = hotlistAgeProblem(e.hotlistAgeMs);
  if (age) return age;
  if (!e.decision || typeof e.decision !== 'object') return 'no decision';
  return undefined;
}
