/**
 * Errors of the NATS side of the fleet (issue 17 part 3): a feed that is not there, a value in the
 * bucket that is not a FeedEntry, a snapshot object that does not parse. Each has a stable code and
 * a kind for the CLI's exit status (src/cli/exitStatus.ts). The gap error (purged history) is the
 * contract's FeedGapError (src/fleet/errors.ts), shared with the in-memory feed.
 */
import type { ErrorKind } from '../../codec/errors.js';

export type NatsFleetErrorCode =
  | 'FEED_NOT_FOUND' // the KV bucket does not exist (nothing published yet, or a wrong name)
  | 'FEED_DELTA_MALFORMED' // a bucket value (a delta) is not a valid FeedEntry: counted and skipped
  | 'BAD_SNAPSHOT' // the snapshot object does not parse or its metadata is missing
  | 'BAD_NATS_URL' // --nats / --hotlist-feed / --events is not nats://HOST:PORT[/BUCKET]
  | 'NATS_UNREACHABLE'; // no server answered within the time-out

export class NatsFleetError extends Error {
  override readonly name = 'NatsFleetError';
  readonly code: NatsFleetErrorCode;
  /** The KV key (card number) of a bad delta, or the object name of a bad snapshot. */
  readonly key?: string;
  /** The bucket revision of a bad delta. */
  readonly revision?: number;

  constructor(code: NatsFleetErrorCode, message: string, details: { key?: string; revision?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.key = details.key;
    this.revision = details.revision;
  }

  /** Bad data in the bucket: data (exit 3); a wrong URL: usage (2); no server or no bucket: device (4). */
  get kind(): ErrorKind {
    if (this.code === 'BAD_NATS_URL') return 'usage';
    if (this.code === 'FEED_DELTA_MALFORMED' || this.code === 'BAD_SNAPSHOT') return 'data';
    return 'device';
  }
}
