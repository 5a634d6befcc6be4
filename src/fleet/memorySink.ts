/**
 * An in-memory EventSink (contracts.ts), for fast unit tests and users' own: idempotent on
 * (site, gateId, seq) as the PostgreSQL and PGlite stores are by their unique key, so at-least-once
 * delivery counts each event once. Fault injection: failNext (the next appends reject), hang (appends
 * never settle until aborted), and a check of every event (EVENT_MALFORMED for what is not one).
 */
import { hotlistAgeProblem } from './hotlistAge.js';
import { needArray, needInteger } from '../codec/guard.js';
import { FleetError } from './errors.js';
import type { EventSink, PresenceEvent } from './contracts.js';

export class MemoryEventSink implements EventSink {
  private readonly byKey = new Map<string, PresenceEvent>();
  private failures = 0;
  private hanging = false;
  readonly stats = { appends: 0, accepted: 0, duplicates: 0, failed: 0 };

  /** Events held, in the order first accepted. */
  get events(): PresenceEvent[] {
    return [...this.byKey.values()];
  }

  /** Events of one gate, by seq; `site` tells apart gates of one id at two sites. */
  eventsOf(gateId: string, site?: string): PresenceEvent[] {
    return this.events.filter((e) => e.gateId === gateId && (site === undefined || e.site === site)).sort((a, b) => a.seq - b.seq);
  }

  /** The next `n` appends reject with SINK_FAILED (and keep nothing). */
  failNext(n: number): void {
    needInteger('MemoryEventSink.failNext', 'n', n, 0, Number.MAX_SAFE_INTEGER);
    this.failures = n;
  }

  /** While true, appends never settle until their signal aborts (a store that stopped answering). */
  hang(on = true): void {
    this.hanging = on;
  }

  async append(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<void> {
    needArray('MemoryEventSink.append', 'events', events);
    this.stats.appends++;
    await Promise.resolve();
    signal?.throwIfAborted();
    if (this.hanging) {
      await new Promise<never>((_, reject) => {
        if (!signal) return;
        signal.addEventListener('abort', () => reject(new FleetError('SINK_FAILED', 'append aborted')), { once: true });
      });
    }
    if (this.failures > 0) {
      this.failures--;
      this.stats.failed++;
      throw new FleetError('SINK_FAILED', 'append failed (injected)');
    }
    // All or nothing, as a transaction: check every event before keeping any.
    for (const e of events) {
      if (!e || typeof e !== 'object' || typeof e.gateId !== 'string' || e.gateId === '' || typeof e.site !== 'string' || !Number.isSafeInteger(e.seq) || e.seq < 1 || !e.decision || typeof e.decision !== 'object')
        throw new FleetError('EVENT_MALFORMED', `not a presence event: ${JSON.stringify(e)?.slice(0, 80)}`);
      const age = hotlistAgeProblem(e.hotlistAgeMs);
      if (age) throw new FleetError('EVENT_MALFORMED', age);
    }
    for (const e of events) {
      const key = `${e.site}\u0000${e.gateId}\u0000${e.seq}`;
      if (this.byKey.has(key)) this.stats.duplicates++;
      else {
        this.byKey.set(key, structuredClone(e));
        this.stats.accepted++;
      }
    }
  }
}
