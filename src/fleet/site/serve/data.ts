/**
 * What the site page shows besides the daily list (issue 18 part 5), read from the event store,
 * every query bound to the configured site: the gates (table `gates`) and the latest decisions
 * (table `events`). Read-only: nothing here writes.
 */
import type { SqlQueryable } from '../../store/db.js';
import { osloDateText } from '../../../codec/osloCalendar.js';

export interface GateRow {
  gateId: string;
  /** The hot-list revision of the gate's last stored event (0: no feed). */
  hotlistRev: number;
  /**
   * How old the gate's hot list was at its last stored tap, in ms, as the gate measured it
   * (PresenceEvent.hotlistAgeMs, gates.hotlist_age_ms): null when that tap had no feed (or came
   * from a gate of a version before migration 5).
   */
  hotlistAgeMs: number | null;
  /** The instant of the gate's last stored event: its last tap. */
  lastTap: string;
}

export interface DecisionRow {
  gateId: string;
  seq: number;
  at: string;
  allow: boolean;
  reason: string;
  cardNumber: string | null;
  holderName: string | null;
  category: string | null;
  /** When the store received it: the cursor of the event stream. */
  receivedAt: string;
}

const iso = (v: Date | string): string => new Date(v).toISOString();

/** Today's date in Europe/Oslo, YYYY-MM-DD. */
export function osloToday(nowMs: number = Date.now()): string {
  return osloDateText(nowMs);
}

// gates.hotlist_age_ms is written with last_event_at, from the same event (store/events.ts).
const GATES = 'SELECT gate_id, hotlist_rev, hotlist_age_ms, last_event_at FROM gates WHERE site_id = $1 ORDER BY gate_id';

export async function siteGates(db: SqlQueryable, siteId: string): Promise<GateRow[]> {
  // bigint columns: pg reads them as strings, PGlite as numbers; Number() both.
  const { rows } = await db.query<{ gate_id: string; hotlist_rev: number | string; hotlist_age_ms: number | string | null; last_event_at: Date | string }>(GATES, [siteId]);
  return rows.map((r) => ({
    gateId: r.gate_id,
    hotlistRev: Number(r.hotlist_rev),
    hotlistAgeMs: r.hotlist_age_ms === null ? null : Number(r.hotlist_age_ms),
    lastTap: iso(r.last_event_at),
  }));
}

const DECISION_COLUMNS = 'gate_id, seq, at, allow, reason, card_number, holder_name, category, received_at';
type DecisionSql = { gate_id: string; seq: number; at: Date | string; allow: boolean; reason: string; card_number: string | null; holder_name: string | null; category: string | null; received_at: Date | string };
const toDecision = (r: DecisionSql): DecisionRow => ({
  gateId: r.gate_id, seq: Number(r.seq), at: iso(r.at), allow: r.allow, reason: r.reason, cardNumber: r.card_number, holderName: r.holder_name, category: r.category, receivedAt: iso(r.received_at),
});

/** The site's `limit` latest decisions by received time, oldest first. */
export async function latestDecisions(db: SqlQueryable, siteId: string, limit: number): Promise<DecisionRow[]> {
  const { rows } = await db.query<DecisionSql>(`SELECT ${DECISION_COLUMNS} FROM events WHERE site_id = $1 ORDER BY received_at DESC, at DESC, gate_id DESC, seq DESC LIMIT $2`, [siteId, limit]);
  return rows.map(toDecision).reverse();
}

/**
 * The site's decisions received after `since` minus `overlapMs`, oldest first. `received_at` is the
 * inserting transaction's start time (PostgreSQL now()), so a transaction that began before the
 * last poll but committed after it carries an older stamp: the overlap re-reads that window and
 * the caller drops what it already sent (keys gate_id/seq, the events table's primary key).
 */
export async function decisionsSince(db: SqlQueryable, siteId: string, since: string, overlapMs: number): Promise<DecisionRow[]> {
  const from = new Date(Date.parse(since) - overlapMs).toISOString();
  const { rows } = await db.query<DecisionSql>(`SELECT ${DECISION_COLUMNS} FROM events WHERE site_id = $1 AND received_at > $2::timestamptz ORDER BY received_at, at, gate_id, seq LIMIT 1000`, [siteId, from]);
  return rows.map(toDecision);
}
