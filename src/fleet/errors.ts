/**
 * The feed's gap error (contracts.ts HotlistFeed.watch): the deltas after the follower's revision
 * are no longer kept, so it must load a new snapshot (full resync).
 * (Defined here by the NATS branch until fleet-core's version is merged; same name and code.)
 */
import type { ErrorKind } from '../codec/errors.js';

export class FeedGapError extends Error {
  override readonly name = 'FeedGapError';
  readonly code = 'FEED_GAP';
  constructor(
    /** The revision the follower asked to continue after. */
    readonly afterRevision: number,
    /** The lowest revision the feed still holds deltas from. */
    readonly firstKept: number,
  ) {
    super(`FEED_GAP: the deltas after revision ${afterRevision} are no longer kept (history starts at ${firstKept}): load a new snapshot`);
  }
  get kind(): ErrorKind {
    return 'failed';
  }
}
