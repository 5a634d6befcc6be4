/**
 * Errors of the fleet (issue 17): one class with a stable code, so a follower, an outbox, a
 * consumer and the CLI branch on `code` and exit on `kind` (src/cli/exitStatus.ts).
 */
import type { ErrorKind } from '../codec/errors.js';

export type FleetErrorCode =
  | 'FEED_GAP' // the deltas after a revision are no longer kept: load a new snapshot (full resync)
  | 'FEED_DELTA_MALFORMED' // a delta or snapshot entry that is not a FeedDelta / FeedEntry: counted, skipped
  | 'FEED_UNAVAILABLE' // the feed could not be read (connection, time-out): retried with backoff
  | 'EVENT_MALFORMED' // a presence event that is not one (an outbox line, a message on the stream)
  | 'SINK_FAILED' // EventSink.append failed: retried with backoff
  | 'OUTBOX_IO' // the outbox directory could not be read or written (disk full, permissions)
  | 'OUTBOX_FULL'; // the outbox holds maxBytes undelivered: new events are dropped and counted

const KINDS: Record<FleetErrorCode, ErrorKind> = {
  FEED_GAP: 'device',
  FEED_DELTA_MALFORMED: 'data',
  FEED_UNAVAILABLE: 'device',
  EVENT_MALFORMED: 'data',
  SINK_FAILED: 'device',
  OUTBOX_IO: 'device',
  OUTBOX_FULL: 'device',
};

export class FleetError extends Error {
  override readonly name: string = 'FleetError';
  readonly code: FleetErrorCode;

  constructor(code: FleetErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }

  /** Bad input is data (exit 3); a feed, sink or disk that fails is device (exit 4). */
  get kind(): ErrorKind {
    return KINDS[this.code] ?? 'device';
  }
}

/** HotlistFeed.watch: the deltas after `afterRevision` were purged from the feed's history. */
export class FeedGapError extends FleetError {
  override readonly name = 'FeedGapError';
  constructor(
    readonly afterRevision: number,
    /** The oldest revision the feed still holds a delta for. */
    readonly firstKept: number,
  ) {
    super('FEED_GAP', `deltas after revision ${afterRevision} are no longer kept (the oldest kept is ${firstKept}): load a new snapshot`);
  }
}
