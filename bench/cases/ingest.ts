/**
 * Events ingested per second into PostgreSQL and into PGlite (issue 17 part 7). Rows:
 *   ingest/postgres-store-500  SqlEventSink.store of 500 new events (one transaction, one
 *                              INSERT ... ON CONFLICT DO NOTHING) on PostgreSQL 15 over TCP
 *   ingest/pglite-store-500    the same on PGlite (a data directory on disk, in this process)
 * The op is one batch: events/s = 500 / median. Each row's `extra` adds the whole consumer from a
 * real nats-server: 10 000 events published to the EVENTS stream, then `runIngest` (fetch 500,
 * store, COMMIT, ack) timed until all are stored: `consumerEventsPerSecond`. The servers are the
 * test suite's (test/helpers/postgres.ts, natsServer.ts): PostgreSQL with fsync=off and
 * synchronous_commit=off, so the PostgreSQL rows are an upper bound of a durable server; PGlite
 * with its default durability (no relaxedDurability), data directory on the local disk. Skipped (no rows) when
 * nats-server or PostgreSQL is missing. The harness has no teardown hook: the servers stop 3 s
 * after the last op, which lets bench/run.ts exit.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchCase } from '../harness.js';
import { SqlEventSink } from '../../src/fleet/store/sqlEventSink.js';
import { openEventStore } from '../../src/fleet/store/open.js';
import { runIngest } from '../../src/fleet/store/ingest.js';
import type { InsertResult } from '../../src/fleet/store/events.js';
import { NATS_SERVER_BIN, startNatsServer, type NatsServerHandle } from '../../test/helpers/natsServer.js';
import { PG_BIN, startPostgres, type PostgresHandle } from '../../test/helpers/postgres.js';
import { freshEventsStream, natsConnect, publishEvents } from '../../test/helpers/eventStream.js';
import { presenceEvent, presenceEvents } from '../../test/helpers/presenceEvents.js';

const BATCH = 500;
const CONSUMER_EVENTS = 10_000;

interface Servers {
  nats: NatsServerHandle;
  pg: PostgresHandle;
  tmp: string;
}
let servers: Promise<Servers> | undefined;
let idle: NodeJS.Timeout | undefined;
const sinks: SqlEventSink[] = [];

function stack(): Promise<Servers> {
  servers ??= (async () => {
    const [nats, pg] = await Promise.all([startNatsServer({ name: 'hmsbench' }), startPostgres()]);
    return { nats, pg, tmp: await mkdtemp(join(tmpdir(), 'hmsbench-pglite-')) };
  })();
  return servers;
}

let inFlight = 0;

/** Runs `f` with the servers kept up. */
async function busy<T>(f: () => Promise<T>): Promise<T> {
  inFlight++;
  try {
    return await f();
  } finally {
    inFlight--;
    arm();
  }
}

/** Stops the servers once nothing ran for 3 s. */
function arm(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(async () => {
    if (inFlight > 0) return arm();
    const s = await servers;
    await Promise.all(sinks.map((k) => k.close().catch(() => undefined)));
    if (s) await Promise.all([s.nats.stop(), s.pg.stop(), rm(s.tmp, { recursive: true, force: true })]);
  }, 3000);
}

interface State {
  sink: SqlEventSink;
  target: string;
  next: number;
}

function setup(kind: 'postgres' | 'pglite'): Promise<State> {
  return busy(async () => {
    const s = await stack();
    const target = kind === 'postgres' ? await s.pg.createDatabase('bench_store') : join(s.tmp, 'store.pg');
    const sink = await SqlEventSink.open(target);
    sinks.push(sink);
    return { sink, target, next: 1 };
  });
}

/** 500 events never stored before (a new seq range of gate b1 each call). */
function nextBatch(s: State) {
  const first = s.next;
  s.next += BATCH;
  return Array.from({ length: BATCH }, (_, i) => presenceEvent('b1', first + i));
}

function consumerRate(): Promise<Record<string, unknown>> {
  return busy(consumerRun);
}

async function consumerRun(): Promise<Record<string, unknown>> {
  const s = await stack();
  const nc = await natsConnect(s.nats.url);
  const rates: Record<string, unknown> = {};
  try {
    for (const kind of ['postgres', 'pglite'] as const) {
      await freshEventsStream(nc);
      await publishEvents(nc, presenceEvents(['c1', 'c2', 'c3', 'c4'], CONSUMER_EVENTS / 4));
      const db = await openEventStore(kind === 'postgres' ? await s.pg.createDatabase(`bench_consumer_${kind}`) : join(s.tmp, 'consumer.pg'));
      try {
        const t0 = performance.now();
        const r = await runIngest({ servers: s.nats.url, db, signal: AbortSignal.timeout(300_000), batch: BATCH, stopAfter: CONSUMER_EVENTS });
        const ms = performance.now() - t0;
        if (r.inserted !== CONSUMER_EVENTS) throw new Error(`consumer stored ${r.inserted} of ${CONSUMER_EVENTS}`);
        rates[kind] = Math.round((CONSUMER_EVENTS * 1000) / ms);
      } finally {
        await db.close();
      }
    }
  } finally {
    await nc.close();
  }
  return rates;
}

let consumerRates: Promise<Record<string, unknown>> | undefined;

function row(kind: 'postgres' | 'pglite'): BenchCase<State> {
  return {
    name: `ingest/${kind}-store-${BATCH}`,
    setup: () => setup(kind),
    fn: (s) => busy(() => s.sink.store(nextBatch(s))),
    check: (r: InsertResult) => r.inserted === BATCH && r.duplicates === 0,
    measureAlloc: false,
    mitata: { min_samples: 10, min_cpu_time: 1 },
    extra: async () => {
      consumerRates ??= consumerRate();
      return { eventsPerOp: BATCH, consumerEvents: CONSUMER_EVENTS, consumerEventsPerSecond: (await consumerRates)[kind] };
    },
  };
}

export const cases: BenchCase[] = NATS_SERVER_BIN && PG_BIN ? [row('postgres'), row('pglite')] : [];
