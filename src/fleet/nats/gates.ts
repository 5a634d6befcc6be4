/**
 * Where gates say which hot-list revision they run on (issue 17 part 5, `hotlist status`): a KV
 * bucket, key `<site>.<gate>`, history 1, value `{"v":1,"revision":R,"at":ISO,"lastSeq":n}`. A gate
 * puts it when its revision changes and on a timer; `hotlist status` reads the newest value of each
 * key. Only NATS is needed to answer "which gate is behind".
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, StorageType } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { GATES_BUCKET, SUBJECT_TOKEN } from './names.js';
import { drainWatch } from './drain.js';
import { NatsFleetError } from './errors.js';
import { needObject } from '../../codec/guard.js';

export interface GateReport {
  site: string;
  gateId: string;
  /** The hot-list revision the gate decides with. */
  revision: number;
  /** When the gate reported (ISO 8601). */
  at: string;
  /** The gate's last event sequence number, when it has an outbox. */
  lastSeq?: number;
}

async function gatesKv(nc: NatsConnection, timeoutMs: number): Promise<KV> {
  return new Kvm(jetstream(nc, { timeout: timeoutMs })).create(GATES_BUCKET, { history: 1, storage: StorageType.File });
}

/** Returns a function that reports (put) a gate's status; bounded by `timeoutMs` per put. */
export function gateReporter(nc: NatsConnection, timeoutMs = 5_000): (r: Omit<GateReport, 'at'>) => Promise<void> {
  needObject('gateReporter', 'nc', nc);
  let kv: Promise<KV> | undefined;
  return async (r) => {
    if (!SUBJECT_TOKEN.test(r.site) || !SUBJECT_TOKEN.test(r.gateId)) throw new NatsFleetError('FEED_DELTA_MALFORMED', `site ${JSON.stringify(r.site)} / gate ${JSON.stringify(r.gateId)}: 1-64 of A-Z a-z 0-9 _ -`);
    kv ??= gatesKv(nc, timeoutMs).catch((e) => {
      kv = undefined;
      throw e;
    });
    const body: Record<string, unknown> = { v: 1, revision: r.revision, at: new Date().toISOString() };
    if (r.lastSeq !== undefined) body.lastSeq = r.lastSeq;
    await (await kv).put(`${r.site}.${r.gateId}`, JSON.stringify(body));
  };
}

/** Every gate's newest report, sorted by site and gate; malformed values are skipped. */
export async function readGateReports(nc: NatsConnection, timeoutMs = 10_000): Promise<GateReport[]> {
  needObject('readGateReports', 'nc', nc);
  const kv = await gatesKv(nc, timeoutMs);
  const st = await kv.status();
  const out = new Map<string, GateReport>();
  await drainWatch(
    kv,
    { key: '>' },
    st.values,
    (e) => {
      if (e.operation !== 'PUT') return void out.delete(e.key);
      const [site, gateId] = e.key.split('.');
      try {
        const x = JSON.parse(e.string()) as { revision?: unknown; at?: unknown; lastSeq?: unknown };
        if (typeof x.revision === 'number' && typeof x.at === 'string') out.set(e.key, { site, gateId, revision: x.revision, at: x.at, ...(typeof x.lastSeq === 'number' ? { lastSeq: x.lastSeq } : {}) });
      } catch {
        // a value not written by a gate: not a gate
      }
    },
    `reading bucket ${GATES_BUCKET}`,
    timeoutMs,
  );
  return [...out.values()].sort((a, b) => (a.site + '.' + a.gateId < b.site + '.' + b.gateId ? -1 : 1));
}
