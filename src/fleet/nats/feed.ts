/**
 * The hot list as a NATS JetStream KV bucket (issue 17 part 3): key = card number, value = the
 * entry (entryCodec.ts), delete/purge = removal; revision = the bucket stream's sequence. The newest
 * snapshot is one object in the store `<bucket>-snap` (snapshotCodec.ts), written by the publisher
 * (publish.ts) with its revision and the purge floor in the object's metadata.
 *
 * Gaps. The server does not refuse a watch that starts at a purged revision: it clamps the start to
 * the first kept message (nats-server v2.9.10 server/consumer.go:3943-3948), so the client checks.
 * Per-card history limits never remove a card's newest value (they only drop superseded ones), so
 * only the publisher's compaction (a stream purge below the floor, after a snapshot) makes a gap:
 * watch(R) fails with FeedGapError when R + 1 < floor, checked at the start, once caught up (a
 * purge during the catch-up may have overtaken the consumer) and after every disconnect, before
 * the next delta is delivered (the ordered consumer resumes where it was, clamped). Residual risk:
 * a gate still catching up when the publisher purges past it applies the deltas after the purge
 * before the caught-up check sends it to resync; the publisher keeps `keepRevisions` behind the
 * snapshot so only a gate that many revisions behind can meet it. A purge made by hand (`nats stream purge`) is not seen:
 * compact only through `hmskort hotlist publish`.
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm, type KV, type KvWatchEntry } from '@nats-io/kv';
import { Objm, type ObjectStore } from '@nats-io/obj';
import type { FeedDelta, FeedEntry, FeedSnapshot, HotlistFeed } from '../contracts.js';
import { FeedGapError } from '../errors.js';
import { NatsFleetError } from './errors.js';
import { decodeEntryValue } from './entryCodec.js';
import { decodeSnapshot } from './snapshotCodec.js';
import { drainWatch } from './drain.js';
import { DEFAULT_BUCKET, SNAPSHOT_OBJECT, kvStreamName, snapshotStoreName } from './names.js';
import { needObject } from '../../codec/guard.js';

export interface NatsHotlistFeedOptions {
  nc: NatsConnection;
  /** Default `hotlist`. */
  bucket?: string;
  /** JetStream domain (a leaf node's own JetStream); default the connection's. */
  domain?: string;
  /** While caught up, how often the head is checked to say "still current" (onCaughtUp again); default 30 000 ms. */
  currentCheckMs?: number;
  /** Bound of each JetStream request and of a snapshot load; default 5 000 / 60 000 ms. */
  timeoutMs?: number;
  snapshotTimeoutMs?: number;
  /** A bucket value that is not a FeedEntry: skipped, counted in `malformed`, reported here. */
  onMalformed?(err: NatsFleetError): void;
}

/** What the newest snapshot object says about itself (its metadata). */
export interface SnapshotInfo {
  revision: number;
  /** Deltas below this revision were purged (0: never). */
  floor: number;
  entries: number;
  takenAt: string;
}

export class NatsHotlistFeed implements HotlistFeed {
  readonly bucket: string;
  /** Bucket values skipped as malformed since this feed was made. */
  malformed = 0;
  /** Called for each of them (from the options; may be replaced). */
  onMalformed?: (err: NatsFleetError) => void;
  private readonly nc: NatsConnection;
  private readonly js: JetStreamClient;
  private readonly opts: NatsHotlistFeedOptions;
  private kvP?: Promise<KV>;
  private jsmP?: Promise<JetStreamManager>;

  constructor(opts: NatsHotlistFeedOptions) {
    needObject('NatsHotlistFeed', 'opts', opts);
    needObject('NatsHotlistFeed', 'opts.nc', opts.nc);
    this.opts = opts;
    this.onMalformed = opts.onMalformed;
    this.nc = opts.nc;
    this.bucket = opts.bucket ?? DEFAULT_BUCKET;
    this.js = jetstream(opts.nc, { timeout: opts.timeoutMs ?? 5_000, domain: opts.domain });
  }

  private jsm(): Promise<JetStreamManager> {
    return (this.jsmP ??= this.js.jetstreamManager());
  }

  private kv(): Promise<KV> {
    return (this.kvP ??= new Kvm(this.js).open(this.bucket));
  }

  /** The bucket stream's first kept and last revision and message count; FEED_NOT_FOUND if there is no bucket. */
  async streamState(): Promise<{ first: number; last: number; messages: number }> {
    try {
      const si = await (await this.jsm()).streams.info(kvStreamName(this.bucket));
      return { first: si.state.first_seq, last: si.state.last_seq, messages: si.state.messages };
    } catch (e) {
      if (/not found/i.test((e as Error).message)) throw new NatsFleetError('FEED_NOT_FOUND', `no hot-list bucket "${this.bucket}" on the server (nothing published yet?)`, { cause: e });
      throw e;
    }
  }

  private async store(): Promise<ObjectStore | undefined> {
    try {
      return await new Objm(this.js).open(snapshotStoreName(this.bucket));
    } catch (e) {
      if (/not found/i.test((e as Error).message)) return undefined;
      throw e;
    }
  }

  /** The newest snapshot object's metadata, or undefined when none was written. */
  async snapshotInfo(): Promise<SnapshotInfo | undefined> {
    const info = await (await this.store())?.info(SNAPSHOT_OBJECT);
    if (!info || info.deleted) return undefined;
    return readMeta(info.metadata, info.mtime);
  }

  async snapshot(signal?: AbortSignal): Promise<FeedSnapshot> {
    const os = await this.store();
    // The publisher may replace the object while we read it: the digest check then fails
    // (nats.js obj/src/objectstore.ts get) and one more read gets the new one.
    for (let attempt = 1; os; attempt++) {
      signal?.throwIfAborted();
      const r = await os.get(SNAPSHOT_OBJECT);
      if (!r || r.info.deleted) break;
      try {
        const bytes = new Uint8Array(await new Response(r.data).arrayBuffer());
        const err = await r.error;
        if (err) throw err;
        const meta = readMeta(r.info.metadata, r.info.mtime);
        return { revision: meta.revision, takenAt: meta.takenAt, entries: decodeSnapshot(bytes, `${snapshotStoreName(this.bucket)}/${SNAPSHOT_OBJECT}`) };
      } catch (e) {
        if (attempt >= 3 || e instanceof NatsFleetError) throw e;
      }
    }
    return this.snapshotFromBucket(signal);
  }

  /**
   * The list read from the bucket itself (no snapshot object yet): the head revision L is read
   * first, then each card's newest value; values newer than L replay harmlessly after it.
   */
  private async snapshotFromBucket(signal?: AbortSignal): Promise<FeedSnapshot> {
    const state = await this.streamState();
    if (state.first > 1) {
      throw new NatsFleetError('BAD_SNAPSHOT', `bucket "${this.bucket}" has no snapshot object but its history starts at ${state.first}: the list cannot be rebuilt from the bucket alone (publish again)`);
    }
    const takenAt = new Date().toISOString();
    const byKey = new Map<string, FeedEntry>();
    await drainWatch(
      await this.kv(),
      { key: '>' },
      state.messages,
      (e) => {
        const d = this.toDelta(e);
        if (d?.op === 'put') byKey.set(d.entry.cardNumber, d.entry);
        else if (d?.op === 'remove') byKey.delete(d.cardNumber);
      },
      `reading hot-list bucket "${this.bucket}"`,
      this.opts.snapshotTimeoutMs ?? 60_000,
      signal,
    );
    return { revision: state.last, takenAt, entries: [...byKey.values()] };
  }

  async watch(afterRevision: number, handlers: { onDelta(d: FeedDelta): void; onCaughtUp?(revision: number): void }, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const floor = async () => (await this.snapshotInfo())?.floor ?? 0;
    const f0 = await floor();
    if (afterRevision + 1 < f0) throw new FeedGapError(afterRevision, f0);
    const kv = await this.kv();
    const head = (await this.streamState()).last;
    let last = afterRevision;
    let caughtUp = head <= afterRevision;
    if (caughtUp) handlers.onCaughtUp?.(afterRevision);
    const iter = await kv.watch({ key: '>', resumeFromRevision: afterRevision + 1 });
    const onAbort = () => iter.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    // onCaughtUp above may have aborted already (a caller that only wanted to catch up).
    if (signal.aborted) iter.stop();
    // After a disconnect the ordered consumer resumes at the next revision, which the server clamps
    // to the first kept one: deliver nothing more until the floor is checked (a list with the
    // purged deltas missing must never reach the gate).
    let suspect = false;
    let failure: FeedGapError | undefined;
    const statuses = this.nc.status();
    const statusIter = statuses[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const s = await statusIter.next();
        if (s.done) return;
        if (s.value.type === 'disconnect') suspect = true;
        // Do not wait for the next delta (the consumer may take a heartbeat period to resume).
        if (s.value.type === 'reconnect') {
          floor().then(
            (f) => {
              if (last + 1 < f) {
                failure ??= new FeedGapError(last, f);
                iter.stop();
              }
            },
            () => undefined,
          );
        }
      }
    })();
    // The gate's list age (maxHotlistAgeHours) counts from the last caught-up signal: while nothing
    // changes, a head at or below our revision still says the list is current.
    const current = setInterval(() => {
      if (!caughtUp) return;
      this.streamState().then((st) => (st.last <= last && !signal.aborted ? handlers.onCaughtUp?.(last) : undefined), () => undefined);
    }, this.opts.currentCheckMs ?? 30_000);
    try {
      for await (const e of iter) {
        if (e.revision <= last) continue;
        if (suspect) {
          const f = await floor();
          if (last + 1 < f) throw new FeedGapError(last, f);
          suspect = false;
        }
        last = e.revision;
        const d = this.toDelta(e);
        if (d) handlers.onDelta(d);
        if (!caughtUp && (e.delta === 0 || e.revision >= head)) {
          caughtUp = true;
          const f = await floor();
          if (afterRevision + 1 < f) throw new FeedGapError(afterRevision, f);
          handlers.onCaughtUp?.(last);
        } else if (caughtUp && e.delta === 0) handlers.onCaughtUp?.(last);
      }
    } finally {
      clearInterval(current);
      signal.removeEventListener('abort', onAbort);
      iter.stop();
      // nats.js returns a QueuedIterator: stop() ends it at once (return() would wait for the next status).
      (statuses as { stop?: () => void }).stop?.();
    }
    if (failure) throw failure;
    if (!signal.aborted) throw new NatsFleetError('NATS_UNREACHABLE', `the watch of hot-list bucket "${this.bucket}" ended (connection closed)`);
  }

  /** A watch entry as a delta; a malformed value is counted and reported, and yields none. */
  private toDelta(e: KvWatchEntry): FeedDelta | undefined {
    if (e.operation === 'DEL' || e.operation === 'PURGE') {
      // The removal of a key that is no card number removes nothing a gate holds.
      return /^[0-9]{12}$/.test(e.key) ? { op: 'remove', revision: e.revision, cardNumber: e.key } : undefined;
    }
    try {
      return { op: 'put', revision: e.revision, entry: decodeEntryValue(e.key, e.value, e.revision) };
    } catch (err) {
      this.malformed++;
      this.onMalformed?.(err as NatsFleetError);
      return undefined;
    }
  }
}

function readMeta(meta: Record<string, string> | undefined, mtime: string): SnapshotInfo {
  const revision = Number(meta?.revision);
  const floor = Number(meta?.floor ?? 0);
  if (!Number.isSafeInteger(revision) || revision < 0 || !Number.isSafeInteger(floor) || floor < 0) {
    throw new NatsFleetError('BAD_SNAPSHOT', `the snapshot object's metadata has no valid revision/floor (${JSON.stringify(meta ?? {})})`);
  }
  return { revision, floor, entries: Number(meta?.entries ?? NaN), takenAt: meta?.takenAt ?? mtime };
}
