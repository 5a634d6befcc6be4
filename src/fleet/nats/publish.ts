/**
 * `hmskort hotlist publish` (issue 17 part 5): the list in a file becomes the bucket's list by
 * putting only the difference, then a snapshot when one is due, then compaction.
 *
 * The current list is read the way a gate reads it (snapshot + deltas to the head, feed.ts): once
 * compacted, the bucket alone no longer holds every card. Puts are pipelined (a window of requests
 * in flight, each awaited for its PubAck) since one round trip per card would make 10 000 changes
 * take seconds.
 *
 * Snapshot due (research/fleet.md section 6.2): none yet, or the revisions since the last one reach
 * `snapshotEvery` or `snapshotShare` of the list. Compaction then purges the bucket stream below
 * floor = snapshot revision + 1 - keepRevisions (never above the snapshot: a gate at the snapshot's
 * revision can always go on), and the floor is written in the snapshot's metadata first, so a gate
 * behind it resyncs (feed.ts).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream, StorageType } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { Objm } from '@nats-io/obj';
import type { FeedEntry } from '../contracts.js';
import { NatsHotlistFeed } from './feed.js';
import { encodeEntryValue, sameEntry } from './entryCodec.js';
import { SNAPSHOT_FORMAT, encodeSnapshot } from './snapshotCodec.js';
import { readHotlistEntries } from './hotlistFile.js';
import { DEFAULT_BUCKET, HOTLIST_HISTORY, SNAPSHOT_OBJECT, kvStreamName, snapshotStoreName } from './names.js';
import { loadCurrent } from './current.js';
import { needObject, needString } from '../../codec/guard.js';

export interface PublishOptions {
  nc: NatsConnection;
  bucket?: string;
  /** A snapshot after this many revisions since the last one (default 10 000). */
  snapshotEvery?: number;
  /** ... or after this share of the list's size (default 0.05). */
  snapshotShare?: number;
  /** Write a snapshot now, due or not. */
  forceSnapshot?: boolean;
  /** Deltas kept behind the newest snapshot for gates a little behind (default 10 000); older ones are purged. */
  keepRevisions?: number;
  /** Requests in flight while putting (default 256). */
  window?: number;
  timeoutMs?: number;
}

export interface PublishResult {
  added: number;
  changed: number;
  removed: number;
  /** Bucket values that did not parse, now overwritten or deleted. */
  repaired: number;
  /** The bucket's revision after the publication. */
  revision: number;
  entries: number;
  /** The revision of the snapshot written now, if one was due. */
  snapshotRevision?: number;
  /** Deltas below this revision are purged. */
  floor: number;
}

/** Publishes the list in `file` (CSV or JSON) to the bucket. */
export async function publishHotlist(file: string, opts: PublishOptions): Promise<PublishResult> {
  needObject('publishHotlist', 'opts', opts);
  const wanted = await readHotlistEntries(file);
  return publishEntries(wanted, opts);
}

/** Publishes a list given as entries keyed by 12-digit card number (what readHotlistEntries returns). */
export async function publishEntries(wanted: ReadonlyMap<string, FeedEntry>, opts: PublishOptions): Promise<PublishResult> {
  needObject('publishEntries', 'wanted', wanted);
  needObject('publishEntries', 'opts', opts);
  needObject('publishEntries', 'opts.nc', opts.nc);
  const bucket = opts.bucket ?? DEFAULT_BUCKET;
  const js = jetstream(opts.nc, { timeout: opts.timeoutMs ?? 10_000 });
  // Idempotent: an existing bucket/store with this configuration is opened.
  const kv = await new Kvm(js).create(bucket, { history: HOTLIST_HISTORY, storage: StorageType.File });
  const feed = new NatsHotlistFeed({ nc: opts.nc, bucket, timeoutMs: opts.timeoutMs });
  const { current, malformedKeys, snapshotRevision: lastSnap, floor: oldFloor } = await loadCurrent(feed);

  const puts: FeedEntry[] = [];
  const dels: string[] = [];
  let added = 0, changed = 0;
  for (const [card, e] of wanted) {
    const had = current.get(card);
    if (!had) {
      added++;
      puts.push(e);
    } else if (!sameEntry(had, e)) {
      changed++;
      puts.push(e);
    }
  }
  for (const card of current.keys()) if (!wanted.has(card)) dels.push(card);
  const removed = dels.length;
  // A malformed value was left out of `current`: a card still listed was counted as added above.
  const repaired = malformedKeys.length;
  for (const card of malformedKeys) if (!wanted.has(card)) dels.push(card);
  let revision = 0;
  const ops: (() => Promise<number>)[] = [
    ...puts.map((e) => () => kv.put(e.cardNumber, encodeEntryValue(e))),
    ...dels.map((card) => () => kv.delete(card).then(() => 0)),
  ];
  await pipelined(ops, opts.window ?? 256, (rev) => (revision = Math.max(revision, rev)));
  const state = await feed.streamState();
  revision = state.last;

  const since = revision - (lastSnap ?? 0);
  const due = opts.forceSnapshot || lastSnap === undefined || since >= (opts.snapshotEvery ?? 10_000) || since >= (opts.snapshotShare ?? 0.05) * Math.max(1, wanted.size);
  let floor = oldFloor;
  let snapshotRevision: number | undefined;
  if (due && revision !== lastSnap) {
    floor = await writeSnapshot(opts.nc, bucket, wanted.values(), revision, { keepRevisions: opts.keepRevisions, oldFloor, firstKept: state.first });
    snapshotRevision = revision;
  }
  return { added, changed, removed, repaired, revision, entries: wanted.size, snapshotRevision, floor };
}

/**
 * Writes `entries` as the snapshot at `revision`, then purges the bucket's deltas below the new
 * floor (compaction); returns the floor. The floor goes into the snapshot's metadata before the
 * purge, so a gate never sees purged history without the floor that tells it so.
 */
export async function writeSnapshot(nc: NatsConnection, bucket: string, entries: Iterable<FeedEntry>, revision: number, o: { keepRevisions?: number; oldFloor?: number; firstKept?: number } = {}): Promise<number> {
  needObject('writeSnapshot', 'nc', nc);
  needString('writeSnapshot', 'bucket', bucket);
  const oldFloor = o.oldFloor ?? 0;
  const keep = o.keepRevisions ?? 10_000;
  const floor = Math.max(oldFloor, Math.min(revision, revision + 1 - keep));
  const sorted = [...entries].sort((a, b) => (a.cardNumber < b.cardNumber ? -1 : 1));
  // A purge of many messages takes seconds on nats-server 2.9 (measured: 9 000 in 2 s): a long bound.
  const js = jetstream(nc, { timeout: 60_000 });
  const os = await new Objm(js).create(snapshotStoreName(bucket), { storage: StorageType.File });
  await os.putBlob(
    {
      name: SNAPSHOT_OBJECT,
      description: `hot list ${bucket} at revision ${revision}`,
      metadata: { revision: String(revision), floor: String(floor), entries: String(sorted.length), takenAt: new Date().toISOString(), format: SNAPSHOT_FORMAT },
    },
    encodeSnapshot(sorted),
  );
  // Keeps messages >= floor (nats.js jetstream purge: "up to but not including" seq).
  if (floor > Math.max(oldFloor, o.firstKept ?? 1)) await (await js.jetstreamManager()).streams.purge(kvStreamName(bucket), { seq: floor });
  return floor;
}

/** Runs `ops` with at most `window` in flight; rejects with the first failure after the others settle. */
async function pipelined(ops: (() => Promise<number>)[], window: number, onDone: (v: number) => void): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < ops.length && failure === undefined) {
      const op = ops[next++];
      try {
        onDone(await op());
      } catch (e) {
        failure ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, ops.length) }, worker));
  if (failure !== undefined) throw failure;
}
