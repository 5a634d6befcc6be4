/**
 * The fleet side of `hmskort gate` (issue 17 part 5): --hotlist-feed nats://HOST:PORT/BUCKET puts a
 * HotlistFollower (src/fleet/follower.ts) on a NATS feed in charge of the gate's list and reports
 * the revision to the gates bucket; --events nats://HOST:PORT sends every decision through the
 * durable outbox (src/fleet/outbox.ts) to the events stream; --outbox DIR alone keeps every decision
 * in the outbox (one machine, no server: `site ingest --outbox DIR` reads it).
 *
 * The gate never waits for the network (issue 17 item 4): the outbox opens at once and keeps the
 * events while the server is down; both connections are made in the background
 * (src/fleet/nats/background.ts). With --hotlist FILE the file serves until the feed's list is in.
 * With --hotlist-feed alone the gate has no list to decide with, so it waits for the feed's first
 * list, bounded by --feed-wait (default 60 s), and then exits 4: a gate that decided with an
 * empty list would let every stolen card in, and one that denied everybody would look like a fault
 * at the turnstile rather than one in the log.
 */
import { resolve } from 'node:path';
import { UsageError, type CliContext } from '../command.js';
import type { Gate } from '../../gate/gate.js';
import { HotlistFollower } from '../../fleet/follower.js';
import { EventOutbox } from '../../fleet/outbox.js';
import { NatsHotlistFeed } from '../../fleet/nats/feed.js';
import { parseNatsUrl, type NatsTarget } from '../../fleet/nats/connect.js';
import { connectInBackground, DeferredEventSink, type BackgroundConnection } from '../../fleet/nats/background.js';
import { gateReporter, type GateReport } from '../../fleet/nats/gates.js';
import { DEFAULT_BUCKET, SUBJECT_TOKEN } from '../../fleet/nats/names.js';
import { waitFor } from '../../transport/wait.js';

export interface FleetOptions {
  feed?: string;
  events?: string;
  gateId?: string;
  site?: string;
  outbox?: string;
  /** A --hotlist file is loaded: it serves until the feed's list is in. */
  hasFile: boolean;
  /** Without a file: bound of the wait for the feed's first list (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * The gate's clock (`--now`), given to the follower too: the list's age (the stale policy, the
   * events' hotlistAgeMs) is the gate's instant minus the follower's, so both read one clock.
   */
  clock?: () => number;
}

export interface Fleet {
  follower?: HotlistFollower;
  outbox?: EventOutbox;
  /** Stops following; with `drain`, waits (bounded) for the outbox to deliver first. */
  close(drain: boolean): Promise<void>;
}

const REPORT_EVERY_MS = 30_000;

export async function startFleet(gate: Gate, o: FleetOptions, ctx: CliContext, warn: (t: string) => void): Promise<Fleet | undefined> {
  if (!o.feed && !o.events && o.outbox === undefined) return undefined;
  for (const [flag, v] of [['--gate-id', o.gateId], ['--site', o.site]] as const) {
    if (v === undefined) throw new UsageError(`${flag} is required with --hotlist-feed, --events or --outbox`);
    if (!SUBJECT_TOKEN.test(v)) throw new UsageError(`${flag} "${v}": 1-64 of A-Z a-z 0-9 _ -`);
  }
  const gateId = o.gateId!, site = o.site!;
  const feedTarget = o.feed ? parseNatsUrl(o.feed, '--hotlist-feed') : undefined;
  const eventsTarget = o.events ? parseNatsUrl(o.events, '--events') : undefined;
  // Two: the feed stops at close, the events connection only after the drain (it may come up during it).
  const stopper = new AbortController();
  const eventsStopper = new AbortController();
  const conns: BackgroundConnection[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;
  let pendingReport: Promise<void> = Promise.resolve();
  let report: ((r: Omit<GateReport, 'at'>) => Promise<void>) | undefined;
  const reportNow = (revision: number) => {
    const r = report;
    if (!r) return;
    pendingReport = pendingReport.then(() => r({ site, gateId, revision, ...(fleet.outbox ? { lastSeq: fleet.outbox.seq - 1 } : {}) }).catch((e: Error) => warn(`status report: ${e.message}`)));
  };
  const fleet: Fleet = {
    close: async (drain) => {
      clearInterval(timer);
      stopper.abort();
      await fleet.follower?.stop();
      if (drain && fleet.outbox && eventsTarget) await fleet.outbox.drained(10_000).catch((e: Error) => warn(`events not all delivered yet (they stay in the outbox): ${e.message}`));
      eventsStopper.abort();
      // The last word for `hotlist status`: the revision and the last event after the drain.
      if (fleet.follower) reportNow(fleet.follower.revision);
      await pendingReport;
      await fleet.outbox?.close();
      for (const c of conns) await c.nc?.close().catch(() => undefined);
    },
  };
  const connectTo = (target: NatsTarget, what: string, name: string, signal: AbortSignal) => {
    const c = connectInBackground(target, name, signal, (e) => warn(`${what}: ${e.message}; trying again in the background`));
    conns.push(c);
    return c;
  };
  try {
    if (eventsTarget || o.outbox !== undefined) {
      const dir = resolve(ctx.cwd, o.outbox ?? `hmskort-outbox/${site}.${gateId}`);
      const sink = eventsTarget ? new DeferredEventSink(connectTo(eventsTarget, '--events', `hmskort gate ${site}.${gateId} events`, eventsStopper.signal)) : undefined;
      fleet.outbox = await EventOutbox.open({ dir, gateId, site, ...(sink ? { sink } : {}) });
      fleet.outbox.on('error', (e) => warn(`outbox: ${e.message}`));
      fleet.outbox.attach(gate);
    }
    if (feedTarget) {
      const conn = connectTo(feedTarget, '--hotlist-feed', `hmskort gate ${site}.${gateId}`, stopper.signal);
      const following = conn.connected.then((nc) => {
        if (!nc || stopper.signal.aborted) return undefined; // closed meanwhile: close() closes nc
        const bucket = feedTarget.path ?? DEFAULT_BUCKET;
        const feed = new NatsHotlistFeed({ nc, bucket, onMalformed: (e) => warn(`hot-list feed: ${e.message} (skipped)`) });
        const follower = new HotlistFollower({ feed, gate, ...(o.clock ? { clock: o.clock } : {}) });
        fleet.follower = follower;
        follower.on('error', (e) => warn(`hot-list feed: ${e.message}`));
        report = gateReporter(nc);
        let reported = -1;
        // On every new revision; and every REPORT_EVERY_MS, so that the gates bucket shows it alive.
        const onRevision = () => {
          if (follower.revision === reported) return;
          reported = follower.revision;
          reportNow(reported);
        };
        follower.on('caught-up', onRevision);
        follower.on('swap', onRevision);
        timer = setInterval(() => reportNow(follower.revision), REPORT_EVERY_MS);
        timer.unref();
        follower.start();
        return follower;
      });
      if (!o.hasFile) {
        const ms = o.readyTimeoutMs ?? 60_000;
        warn(`waiting for the hot list from ${o.feed} (at most ${ms / 1000} s; the gate serves once it is loaded)`);
        const until = Date.now() + ms;
        const follower = await waitFor<HotlistFollower | undefined>({
          what: `a connection to the hot-list feed ${o.feed}`,
          timeoutMs: ms,
          signal: ctx.signal,
          subscribe: (res, rej) => {
            following.then(res, rej);
            return () => undefined;
          },
        });
        if (follower) await follower.ready(Math.max(0, until - Date.now()), ctx.signal);
      }
    }
    return fleet;
  } catch (e) {
    await fleet.close(false);
    throw e;
  }
}
