/**
 * `hmsreg_sent` as the record of each tap's registration (migration 5), a state machine per tap:
 *
 *   pending (no row) --claim--> sending --settle--> sent | failed | unknown
 *   sending --release--> pending          HMSREG answered it did not take it (5xx, 429), or the
 *                                         request surely never left (client.ts): retried
 *   sending --release--> unknown          the same for a resend: this request was not taken, but
 *                                         the first one may have been, so the tap stays in doubt
 *   sending --(crash; next run)--> unknown
 *   unknown --resend--> sending           the operator's deliberate resend (--resend-unknown)
 *   unknown --mark--> sent                the operator found it in HMSREG's own records (--mark-sent)
 *
 * Every transition is one statement, committed before the next step: the row is `sending` on disk
 * before the POST starts, so a process killed at any instant leaves either no row (nothing went
 * out) or a row that is never sent again by itself. That is at most once per tap (issue 18: "what
 * was sent is recorded, nothing is sent twice"); the price is that a tap may wait in `unknown`
 * for the operator.
 */
import type { SqlQueryable } from '../../store/db.js';

export interface TapKey {
  gate_id: string;
  seq: number;
}

export interface UnknownTap extends TapKey {
  card_number: string | null;
  at: Date | string;
  /** Why it is in doubt (a time-out, a closed connection, a crash). */
  answer: string | null;
}

/** Claims a pending tap; false when a row exists already (another process took it). */
export async function claim(db: SqlQueryable, siteId: string, tap: TapKey): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO hmsreg_sent (gate_id, seq, site_id, status, http_status, answer) VALUES ($1, $2, $3, 'sending', NULL, NULL)
     ON CONFLICT (site_id, gate_id, seq) DO NOTHING RETURNING 1 AS ok`,
    [tap.gate_id, tap.seq, siteId],
  );
  return r.rows.length === 1;
}

/** Claims a tap in doubt for a deliberate resend; false when it is no longer `unknown`. */
export async function claimUnknown(db: SqlQueryable, siteId: string, tap: TapKey): Promise<boolean> {
  const r = await db.query(
    `UPDATE hmsreg_sent SET status = 'sending', http_status = NULL, sent_at = now()
     WHERE site_id = $1 AND gate_id = $2 AND seq = $3 AND status = 'unknown' RETURNING 1 AS ok`,
    [siteId, tap.gate_id, tap.seq],
  );
  return r.rows.length === 1;
}

/**
 * Settles a claimed tap with HMSREG's answer, or as `unknown` when none came. Also from `unknown`:
 * another process (a --list-unknown, a second run) may have taken our `sending` row for a crash
 * while the request was out, and the answer we hold is better knowledge than its guess.
 */
export async function settle(db: SqlQueryable, siteId: string, tap: TapKey, status: 'sent' | 'failed' | 'unknown', httpStatus: number | null, answer: string): Promise<void> {
  await db.query(
    `UPDATE hmsreg_sent SET status = $4, http_status = $5, answer = $6, sent_at = now()
     WHERE site_id = $1 AND gate_id = $2 AND seq = $3 AND status IN ('sending', 'unknown')`,
    [siteId, tap.gate_id, tap.seq, status, httpStatus, answer],
  );
}

/**
 * This request was not taken: back to pending (HMSREG surely does not hold the tap), or, for a
 * resend of a tap in doubt, back to `unknown` (its first request may still have been taken; only
 * the operator's next --resend-unknown or --mark-sent moves it).
 */
export async function release(db: SqlQueryable, siteId: string, tap: TapKey, wasInDoubt = false): Promise<void> {
  if (wasInDoubt) await db.query(`UPDATE hmsreg_sent SET status = 'unknown' WHERE site_id = $1 AND gate_id = $2 AND seq = $3 AND status = 'sending'`, [siteId, tap.gate_id, tap.seq]);
  else await db.query(`DELETE FROM hmsreg_sent WHERE site_id = $1 AND gate_id = $2 AND seq = $3 AND status = 'sending'`, [siteId, tap.gate_id, tap.seq]);
}

/** At the start of a run: rows a crashed run left `sending` become `unknown`; returns how many. */
export async function reclaimCrashed(db: SqlQueryable, siteId: string): Promise<number> {
  const r = await db.query(
    `UPDATE hmsreg_sent SET status = 'unknown', answer = 'the exporting process ended during the request' WHERE site_id = $1 AND status = 'sending' RETURNING 1 AS ok`,
    [siteId],
  );
  return r.rows.length;
}

export async function countUnknown(db: SqlQueryable, siteId: string): Promise<number> {
  return (await db.query<{ n: number }>(`SELECT count(*)::integer AS n FROM hmsreg_sent WHERE site_id = $1 AND status = 'unknown'`, [siteId])).rows[0].n;
}

/** The taps in doubt, oldest first, with what the operator needs to find them in HMSREG. */
export async function listUnknown(db: SqlQueryable, siteId: string): Promise<UnknownTap[]> {
  const r = await db.query<UnknownTap>(
    // LEFT JOIN: every row counted in doubt is listed, also one whose event is gone.
    `SELECT s.gate_id, s.seq, e.card_number, coalesce(e.at, s.sent_at) AS at, s.answer FROM hmsreg_sent s
     LEFT JOIN events e ON e.site_id = s.site_id AND e.gate_id = s.gate_id AND e.seq = s.seq
     WHERE s.site_id = $1 AND s.status = 'unknown' ORDER BY 4, s.gate_id, s.seq`,
    [siteId],
  );
  return r.rows;
}

/** The operator found these in HMSREG: `unknown` -> `sent`. Returns the keys that were not in doubt. */
export async function markSent(db: SqlQueryable, siteId: string, taps: readonly TapKey[]): Promise<TapKey[]> {
  const missed: TapKey[] = [];
  for (const t of taps) {
    const r = await db.query(
      `UPDATE hmsreg_sent SET status = 'sent', answer = 'marked sent by the operator', sent_at = now()
       WHERE site_id = $1 AND gate_id = $2 AND seq = $3 AND status = 'unknown' RETURNING 1 AS ok`,
      [siteId, t.gate_id, t.seq],
    );
    if (r.rows.length === 0) missed.push(t);
  }
  return missed;
}
