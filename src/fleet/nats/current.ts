/**
 * The list as the bucket holds it now, read as a gate reads it: the newest snapshot, then the
 * deltas after it until caught up with the head (feed.ts). The publisher diffs against this.
 */
import type { FeedEntry } from '../contracts.js';
import { FeedGapError } from '../errors.js';
import { WaitTimeoutError } from '../../transport/wait.js';
import type { NatsHotlistFeed } from './feed.js';
import { NatsFleetError } from './errors.js';

export interface CurrentList {
  current: Map<string, FeedEntry>;
  /** Keys whose newest value is malformed (the publisher rewrites or deletes them). */
  malformedKeys: string[];
  revision: number;
  snapshotRevision?: number;
  floor: number;
}

export async function loadCurrent(feed: NatsHotlistFeed, timeoutMs = 60_000): Promise<CurrentList> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await loadOnce(feed, timeoutMs);
    } catch (e) {
      // A compaction between our snapshot and watch: read again (twice at most).
      if (!(e instanceof FeedGapError) || attempt >= 3) throw e;
    }
  }
}

async function loadOnce(feed: NatsHotlistFeed, timeoutMs: number): Promise<CurrentList> {
  const info = await feed.snapshotInfo();
  const bad = new Set<string>();
  const onMalformed = (e: NatsFleetError) => e.key && bad.add(e.key);
  const prior = feed.onMalformed;
  feed.onMalformed = onMalformed;
  try {
    let snap;
    try {
      snap = await feed.snapshot();
    } catch (e) {
      // No bucket yet (first publication): the list is empty.
      if (e instanceof NatsFleetError && e.code === 'FEED_NOT_FOUND') return { current: new Map(), malformedKeys: [], revision: 0, floor: 0 };
      throw e;
    }
    const current = new Map(snap.entries.map((e) => [e.cardNumber, e]));
    const ac = new AbortController();
    let revision = snap.revision;
    const timer = setTimeout(() => ac.abort(new WaitTimeoutError(`catching up with hot-list bucket "${feed.bucket}"`, timeoutMs)), timeoutMs);
    try {
      await feed.watch(
        snap.revision,
        {
          onDelta: (d) => {
            const card = d.op === 'put' ? d.entry.cardNumber : d.cardNumber;
            bad.delete(card);
            if (d.op === 'put') current.set(card, d.entry);
            else current.delete(card);
          },
          onCaughtUp: (rev) => {
            revision = rev;
            ac.abort();
          },
        },
        ac.signal,
      );
    } finally {
      clearTimeout(timer);
    }
    if (ac.signal.reason instanceof WaitTimeoutError) throw ac.signal.reason;
    for (const k of bad) current.delete(k);
    return { current, malformedKeys: [...bad], revision, snapshotRevision: info?.revision, floor: info?.floor ?? 0 };
  } finally {
    feed.onMalformed = prior;
  }
}
