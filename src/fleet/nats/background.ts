/**
 * Connecting without waiting (issue 17 item 4: "the gate stays fast and never waits for the
 * network"): a gate starts serving at once and reaches its NATS server in the background.
 * `connectInBackground` tries connectNats (each attempt bounded) with a backoff until it succeeds
 * or `signal` aborts. It is our loop and not nats.js `waitOnFirstConnect`, because that one keeps
 * dialling with no handle to stop it until the first connection is made (nats-core protocol.js
 * dialLoop), and a gate stopped before its server came up must end. Once connected, the client
 * reconnects for ever by itself (connect.ts).
 *
 * `DeferredEventSink` is the outbox's sink meanwhile: an append waits (bounded by the delivery's
 * sendTimeoutMs through its signal) for the connection, then goes to a NatsEventSink on it. The
 * outbox keeps the events on disk until then (outbox.ts), so nothing is lost while the server is down.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { Backoff } from '../backoff.js';
import { waitFor } from '../../transport/wait.js';
import type { EventSink, PresenceEvent } from '../contracts.js';
import { connectNats, type NatsTarget } from './connect.js';
import { NatsEventSink } from './eventSink.js';
import { NatsFleetError } from './errors.js';

export interface BackgroundConnection {
  /** The connection once made; undefined after the signal aborted first. */
  readonly connected: Promise<NatsConnection | undefined>;
  /** The connection if made already. */
  readonly nc: NatsConnection | undefined;
}

/**
 * Starts connecting and returns at once. `onFailure` hears the first failed attempt only (a gate
 * says once that its server is not there, not every second). A connection made after `signal`
 * aborted is closed again.
 */
export function connectInBackground(target: NatsTarget, name: string, signal: AbortSignal, onFailure?: (e: Error) => void, attemptMs = 5_000): BackgroundConnection {
  const state: { nc: NatsConnection | undefined; connected: Promise<NatsConnection | undefined> } = { nc: undefined, connected: Promise.resolve(undefined) };
  state.connected = (async () => {
    const backoff = new Backoff(250, 5_000);
    let told = false;
    while (!signal.aborted) {
      try {
        const nc = await connectNats(target, name, attemptMs);
        if (signal.aborted) {
          await nc.close().catch(() => undefined);
          return undefined;
        }
        state.nc = nc;
        return nc;
      } catch (e) {
        if (!told) onFailure?.(e as Error);
        told = true;
        await backoff.wait(signal);
      }
    }
    return undefined;
  })();
  return {
    get connected() {
      return state.connected;
    },
    get nc() {
      return state.nc;
    },
  };
}

/** An EventSink that waits for a background connection, then publishes with NatsEventSink. */
export class DeferredEventSink implements EventSink {
  private sink?: NatsEventSink;
  constructor(private readonly conn: BackgroundConnection) {}

  async append(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<void> {
    const nc = await waitFor<NatsConnection | undefined>({
      what: 'a connection to the NATS server',
      ...(signal ? { signal } : {}),
      subscribe: (resolve, reject) => {
        this.conn.connected.then(resolve, reject);
        return () => undefined;
      },
    });
    if (!nc) throw new NatsFleetError('NATS_UNREACHABLE', 'the gate stopped before its NATS server answered: the events stay in the outbox');
    this.sink ??= new NatsEventSink({ nc });
    return this.sink.append(events, signal);
  }
}
