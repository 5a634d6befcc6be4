/**
 * One snapshot from a feed, bounded in time (the contract's snapshot() takes a signal: it is
 * aborted when the time is up or the caller stops) and checked for its shape, so a feed that hangs
 * or answers nonsense is a FEED_UNAVAILABLE to retry, never a follower stuck or crashed.
 */
import { waitFor } from '../transport/wait.js';
import { FleetError } from './errors.js';
import type { FeedSnapshot, HotlistFeed } from './contracts.js';

export async function fetchSnapshot(feed: HotlistFeed, timeoutMs: number, signal: AbortSignal): Promise<FeedSnapshot> {
  const attempt = new AbortController();
  const onStop = (): void => attempt.abort();
  signal.addEventListener('abort', onStop);
  let snap: FeedSnapshot;
  try {
    snap = await waitFor<FeedSnapshot>({
      what: 'a hot-list snapshot from the feed',
      timeoutMs,
      signal,
      timeoutError: (ms) => new FleetError('FEED_UNAVAILABLE', `no snapshot within ${ms} ms`),
      subscribe: (resolve, reject) => {
        feed.snapshot(attempt.signal).then(resolve, reject);
        return () => attempt.abort();
      },
    });
  } finally {
    signal.removeEventListener('abort', onStop);
  }
  if (!snap || typeof snap !== 'object' || !Number.isSafeInteger(snap.revision) || snap.revision < 0 || !Array.isArray(snap.entries))
    throw new FleetError('FEED_UNAVAILABLE', 'the feed gave a snapshot that is not {revision, takenAt, entries}');
  return snap;
}
