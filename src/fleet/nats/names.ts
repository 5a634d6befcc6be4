/**
 * Names of the NATS objects of a fleet (research/fleet.md section 6.2), in one place: the hot-list
 * KV bucket, its snapshot object store, the gates' status bucket and the events stream.
 */
/** The hot-list KV bucket (stream KV_<bucket>) unless --bucket names another. */
export const DEFAULT_BUCKET = 'hotlist';
/** Object store of the snapshots of bucket `b`. */
export const snapshotStoreName = (bucket: string): string => `${bucket}-snap`;
/** The object in that store that holds the newest snapshot. */
export const SNAPSHOT_OBJECT = 'snapshot';
/** The KV stream of a bucket (nats.js kv/src/kv.ts: `KV_` prefix). */
export const kvStreamName = (bucket: string): string => `KV_${bucket}`;
/** Gates report the revision they run on here: key `<site>.<gate>`, history 1. */
export const GATES_BUCKET = 'hmskort-gates';
/** The events stream and its subjects `ev.<site>.<gate>` (issue 17 part 3). */
export const EVENTS_STREAM = 'EVENTS';
export const EVENTS_SUBJECTS = 'ev.>';
/** Site and gate ids become subject tokens: no `.`, `*`, `>` or white space (research/fleet.md 1.5). */
export const SUBJECT_TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
/** KV history per card: a card rewritten more often than this loses its older versions (not a gap). */
export const HOTLIST_HISTORY = 10;
