/**
 * Errors of the fleet's event stores and the ingest consumer (issue 17 parts 2-3): one class with
 * a stable code, so the consumer can count a malformed event and go on, and the CLI can choose the
 * exit status from `kind` (src/cli/exitStatus.ts).
 */
import type { ErrorKind } from '../../codec/errors.js';

export type StoreErrorCode =
  | 'MALFORMED_EVENT' // a stream message that is not a PresenceEvent (bad JSON, a field missing or wrong)
  | 'BAD_DB_TARGET' // --db names neither a postgres:// URL nor a usable directory
  | 'DB_LOCKED' // another live process holds the PGlite data directory (PGlite is single-process)
  | 'DB_UNAVAILABLE' // the database could not be opened or reached
  | 'NATS_UNAVAILABLE' // the NATS server could not be reached, or has no JetStream
  | 'SCHEMA_TOO_NEW' // the database was migrated by a newer hmskort
  | 'DRAIN_TIMEOUT'; // site ingest --outbox --drain did not deliver what was there in time

export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: StoreErrorCode;
  /** With MALFORMED_EVENT: the field that was wrong, when one was. */
  readonly field?: string;
  /** With DB_LOCKED: the process holding the directory, as its lock file names it. */
  readonly holder?: { pid: number; owner?: string };

  constructor(code: StoreErrorCode, message: string, details: { field?: string; holder?: { pid: number; owner?: string }; cause?: unknown } = {}) {
    super(`${code}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.field = details.field;
    if (details.holder) this.holder = details.holder;
  }

  /** A malformed event is bad data (exit 3); a target or schema problem is configuration (3); the rest is I/O (4). */
  get kind(): ErrorKind {
    if (this.code === 'MALFORMED_EVENT') return 'data';
    if (this.code === 'BAD_DB_TARGET' || this.code === 'SCHEMA_TOO_NEW') return 'config';
    return 'device';
  }
}
