/**
 * The fleet store's schema, as an ordered list of migrations, and the one function that applies
 * the missing ones. The same statements run on PostgreSQL 15 (Debian) and PGlite 0.5
 * (PostgreSQL 18): only the common subset is used (ON CONFLICT, jsonb_to_recordset, bigserial;
 * no MERGE ... RETURNING, no uuidv7). Issue 18 adds the daily list as migration 2 and on.
 *
 * Why these tables:
 * - `events`: one row per presence event (a tap and its decision), keyed by (gate_id, seq), the
 *   idempotency key of the EventSink contract (src/fleet/contracts.ts): delivery is at least once,
 *   the primary key makes the store count each event once.
 * - `gates`: per gate, the last event stored (sequence, instant) and the hot-list revision it was
 *   decided with: "the revision each gate last reported" (issue 17 part 5) on the SQL side.
 * - `ingest_errors`: every malformed stream message, written in the same transaction as the batch
 *   it came in, so the count survives a restart and the message can be terminated, not redelivered.
 * Text, not date, for `expiry`, and every value checked in eventShape.ts first: one bad value must
 * not fail the insert of a whole batch.
 */
import { StoreError } from './errors.js';
import type { SqlDb } from './db.js';
import { SITE_MIGRATIONS } from '../site/schema.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** One statement each: PGlite's query() takes one statement per call (extended protocol). */
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'presence events, gates, ingest errors',
    statements: [
      `CREATE TABLE events (
        gate_id text NOT NULL,
        seq bigint NOT NULL CHECK (seq >= 1),
        site_id text NOT NULL,
        at timestamptz NOT NULL,
        allow boolean NOT NULL,
        reason text NOT NULL,
        error text,
        uid text NOT NULL,
        card_number text,
        org_number text,
        category text,
        expiry text,
        issue integer,
        hotlist_rev bigint NOT NULL,
        stale boolean NOT NULL DEFAULT false,
        stream_seq bigint,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (gate_id, seq))`,
      `CREATE INDEX events_site_at ON events (site_id, at)`,
      `CREATE TABLE gates (
        gate_id text PRIMARY KEY,
        site_id text NOT NULL,
        last_seq bigint NOT NULL,
        last_event_at timestamptz NOT NULL,
        hotlist_rev bigint NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ingest_errors (
        id bigserial PRIMARY KEY,
        stream_seq bigint,
        subject text,
        code text NOT NULL,
        error text NOT NULL,
        raw text,
        at timestamptz NOT NULL DEFAULT now())`,
    ],
  },
  // Issue 18: the site's daily list (src/fleet/site/schema.ts).
  ...SITE_MIGRATIONS,
];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Any fixed number: the advisory lock two processes migrating one server at once serialise on. */
const MIGRATION_LOCK = 0x686d_7331; // "hms1"

/** Applies the migrations the database lacks, all in one transaction; returns the version it is at. */
export async function migrate(db: SqlDb, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await tx.query<{ v: number }>('SELECT coalesce(max(version), 0)::integer AS v FROM schema_migrations');
    const current = rows[0].v;
    const latest = migrations.length ? migrations[migrations.length - 1].version : 0;
    if (current > latest) throw new StoreError('SCHEMA_TOO_NEW', `the database is at schema version ${current}; this hmskort knows up to ${latest}`);
    for (const m of migrations) {
      if (m.version <= current) continue;
      for (const s of m.statements) await tx.query(s);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    return latest;
  });
}
