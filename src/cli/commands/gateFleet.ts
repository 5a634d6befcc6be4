/**
 * The fleet side of `hmskort gate` (issue 17 part 5): --hotlist-feed nats://HOST:PORT/BUCKET puts a
 * HotlistFollower (src/fleet/follower.ts) on a NATS feed in charge of the gate's list and reports
 * the revision to the gates bucket; --events nats://HOST:PORT sends every decision through the
 * durable outbox (src/fleet/outbox.ts) to the events stream. The gate waits for the feed's list
 * before it serves (bounded): a gate that decided with an empty list would let every stolen card in.
 */
import { resolve } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { UsageError, type CliContext } from '../command.js';
import type { Gate } from '../../gate/gate.js';
import { HotlistFollower } from '../../fleet/follower.js';
import { EventOutbox } from '../../fleet/outbox.js';
import { NatsHotlistFeed } from '../../fleet/nats/feed.js';
import { NatsEventSink } from '../../fleet/nats/eventSink.js';
import { connectNats, parseNatsUrl } from '../../fleet/nats/connect.js';
import { gateReporter } from '../../fleet/nats/gates.js';
import { DEFAULT_BUCKET, SUBJECT_TOKEN } from '../../fleet/nats/names.js';

export interface FleetOptions {
  feed?: string;
  events?: string;
  gateId?: string;
  site?: string;
  outbox?: string;
  /** A --hotlist file is loaded: serve with it if the feed is not ready in time. */
  hasFile: boolean;
  /** Bound of the wait for the feed's first list (default 60 s). */
  readyTimeoutMs?: number;
}

export interface Fleet {
  follower?: HotlistFollower;
  outbox?: EventOutbox;
  /** Stops following; with `drain`, waits (bounded) for the outbox to deliver first. */
  close(drain: boolean): Promise<void>;
}

const REPORT_EVERY_MS = 30_000;

export async function startFleet(gate: Gate, o: FleetOptions, ctx: CliContext, warn: (t: string) => void): Promise<Fleet | undefined> {
  if (!o.feed && !o.events) return undefined;
  for (const [flag, v] of [['--gate-id', o.gateId], ['--site', o.site]] as const) {
    if (v === undefined) throw new UsageError(`${flag} is required with --hotlist-feed or --events`);
    if (!SUBJECT_TOKEN.test(v)) throw new UsageError(`${flag} "${v}": 1-64 of A-Z a-z 0-9 _ -`);
  }
  const gateId = o.gateId!, site = o.site!;
  const feedTarget = o.feed ? parseNatsUrl(o.feed, '--hotlist-feed') : undefined;
  const eventsTarget = o.events ? parseNatsUrl(o.events, '--events') : undefined;
  const conns: NatsConnection[] = [];
  const fleet: Fleet = {
    close: async (drain) => {
      clearInterval(timer);
      await pendingReport;
      await fleet.follower?.stop();
      if (drain && fleet.outbox) await fleet.outbox.drained(10_000).catch((e: Error) => warn(`events not all delivered yet (they stay in the outbox): ${e.message}`));
      await fleet.outbox?.close();
      for (const c of conns) await c.close().catch(() => undefined);
    },
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let pendingReport: Promise<void> = Promise.resolve();
  try {
    if (eventsTarget) {
      const nc = await connectNats(eventsTarget, `hmskort gate ${site}.${gateId} events`);
      conns.push(nc);
      const dir = resolve(ctx.cwd, o.outbox ?? `hmskort-outbox/${site}.${gateId}`);
      fleet.outbox = await EventOutbox.open({ dir, gateId, site, sink: new NatsEventSink({ nc }) });
      fleet.outbox.on('error', (e) => warn(`outbox: ${e.message}`));
      fleet.outbox.attach(gate);
    }
    if (feedTarget) {
      const nc = await connectNats(feedTarget, `hmskort gate ${site}.${gateId}`);
      conns.push(nc);
      const bucket = feedTarget.path ?? DEFAULT_BUCKET;
      const feed = new NatsHotlistFeed({ nc, bucket, onMalformed: (e) => warn(`hot-list feed: ${e.message} (skipped)`) });
      const follower = new HotlistFollower({ feed, gate });
      fleet.follower = follower;
      follower.on('error', (e) => warn(`hot-list feed: ${e.message}`));
      const report = gateReporter(nc);
      let reported = -1;
      let reportedAt = 0;
      const maybeReport = (force = false) => {
        if (!force && follower.revision === reported && Date.now() - reportedAt < REPORT_EVERY_MS) return;
        reported = follower.revision;
        reportedAt = Date.now();
        pendingReport = report({ site, gateId, revision: follower.revision, ...(fleet.outbox ? { lastSeq: fleet.outbox.seq - 1 } : {}) }).catch((e: Error) => warn(`status report: ${e.message}`));
      };
      follower.on('caught-up', () => maybeReport());
      follower.on('swap', () => maybeReport());
      timer = setInterval(() => maybeReport(true), REPORT_EVERY_MS);
      timer.unref();
      follower.start();
      try {
        await follower.ready(o.readyTimeoutMs ?? 60_000, ctx.signal);
      } catch (e) {
        if (!o.hasFile || ctx.signal.aborted) throw e;
        warn(`the hot-list feed is not ready (${(e as Error).message}): serving with the --hotlist file until it is`);
      }
      maybeReport(true);
    }
    return fleet;
  } catch (e) {
    await fleet.close(false);
    throw e;
  }
}
