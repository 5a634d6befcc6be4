/**
 * The store's writes: a batch of presence events in one statement, idempotent on (site_id, gate_id, seq).
 *
 * `INSERT ... ON CONFLICT (site_id, gate_id, seq) DO NOTHING RETURNING` returns only the rows actually
 * inserted ("Only rows that were successfully inserted or updated will be returned",
 * https://www.postgresql.org/docs/15/sql-insert.html), also when the batch itself holds a key twice.
 * The `gates` row is updated from those rows only, in the same statement, so a redelivered batch
 * changes nothing. The batch travels as one jsonb parameter read by jsonb_to_recordset: one
 * statement whatever its size, and the same parameter types in both drivers (no array binding).
 */
import type { SqlQueryable } from './db.js';
import type { EventRow } from './eventShape.js';

// hotlist_age_ms (migration 5, issue 18 part 5) in every write, null included: the gate's row takes
// its latest event's value, so a gate that stopped following a feed shows no age, not an old one.
const COLUMNS = 'gate_id, seq, site_id, at, allow, reason, error, uid, card_number, org_number, category, expiry, issue, hotlist_rev, stale, hotlist_age_ms, stream_seq';
const TYPES = `gate_id text, seq bigint, site_id text, at timestamptz, allow boolean,
    reason text, error text, uid text, card_number text, org_number text, category text, expiry text, issue integer,
    hotlist_rev bigint, stale boolean, hotlist_age_ms bigint, stream_seq bigint`;
// The holder columns (issue 18 part 1) come with the daily list's migration 2 (schema.ts). Written
// only by a batch that carries holder fields. Since migration 4 (keys per site) the writes need
// schema 4 anyway: openEventStore migrates before the first write.
const HOLDER_COLUMNS = ', holder_name, birth_date, org_name';
// birth_date text, as the column (site/schema.ts): a `date` here would store the session's DateStyle
// rendering ('17/04/1985' under 'SQL, DMY'), not the YYYY-MM-DD the gate sent.
const HOLDER_TYPES = ', holder_name text, birth_date text, org_name text';

const insertEventsSql = (holders: boolean): string => `
WITH incoming AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${TYPES}${holders ? HOLDER_TYPES : ''})
), ins AS (
  INSERT INTO events (${COLUMNS}${holders ? HOLDER_COLUMNS : ''}) SELECT ${COLUMNS}${holders ? HOLDER_COLUMNS : ''} FROM incoming
  ON CONFLICT (site_id, gate_id, seq) DO NOTHING
  RETURNING gate_id, seq, site_id, at, hotlist_rev, hotlist_age_ms
), latest AS (
  SELECT DISTINCT ON (site_id, gate_id) gate_id, site_id, seq, at, hotlist_rev, hotlist_age_ms FROM ins ORDER BY site_id, gate_id, seq DESC
), gate_rows AS (
  INSERT INTO gates (gate_id, site_id, last_seq, last_event_at, hotlist_rev, hotlist_age_ms)
  SELECT gate_id, site_id, seq, at, hotlist_rev, hotlist_age_ms FROM latest
  ON CONFLICT (site_id, gate_id) DO UPDATE SET last_seq = EXCLUDED.last_seq,
    last_event_at = EXCLUDED.last_event_at, hotlist_rev = EXCLUDED.hotlist_rev, hotlist_age_ms = EXCLUDED.hotlist_age_ms, last_seen_at = now()
  WHERE gates.last_seq < EXCLUDED.last_seq
)
SELECT site_id, gate_id, seq FROM ins`;
const INSERT_EVENTS = insertEventsSql(false);
const INSERT_EVENTS_WITH_HOLDERS = insertEventsSql(true);

export interface InsertResult {
  /** Rows stored now. */
  inserted: number;
  /** Rows already held (or repeated in the batch): delivered again, not stored again. */
  duplicates: number;
  /** Per input row: true when this call stored it (the first of a key repeated in the batch). */
  isNew: boolean[];
}

/** Inserts `rows` (checked by eventShape.ts) on `q`, a transaction or the database. */
export async function insertEvents(q: SqlQueryable, rows: readonly EventRow[]): Promise<InsertResult> {
  if (rows.length === 0) return { inserted: 0, duplicates: 0, isNew: [] };
  const sql = rows.some((r) => r.holder_name !== null) ? INSERT_EVENTS_WITH_HOLDERS : INSERT_EVENTS;
  const { rows: stored } = await q.query<{ site_id: string; gate_id: string; seq: number }>(sql, [JSON.stringify(rows)]);
  const key = (r: { site_id: string; gate_id: string; seq: number }): string => `${r.site_id}\u0000${r.gate_id}\u0000${r.seq}`;
  const fresh = new Set(stored.map(key));
  const isNew = rows.map((r) => fresh.delete(key(r)));
  return { inserted: stored.length, duplicates: rows.length - stored.length, isNew };
}

export interface IngestErrorRow {
  stream_seq: number | null;
  subject: string | null;
  code: string;
  error: string;
  raw: string | null;
}

/** Records malformed messages (same transaction as their batch, so the count survives a restart). */
export async function insertIngestErrors(q: SqlQueryable, rows: readonly IngestErrorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO ingest_errors (stream_seq, subject, code, error, raw)
     SELECT stream_seq, subject, code, error, raw FROM jsonb_to_recordset($1::jsonb) AS r(stream_seq bigint, subject text, code text, error text, raw text)`,
    [JSON.stringify(rows)],
  );
}
