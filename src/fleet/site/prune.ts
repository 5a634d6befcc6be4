/**
 * Retention (issue 18 part 4: "Raw tap events and the daily list are kept apart with their own
 * retention settings: the list until the building work ends plus six months, raw events for a
 * shorter configurable time (default 30 days)"). One site at a time: every statement takes the
 * site id of the configuration file, so pruning one site never touches another's rows.
 *
 * Raw events older than `rawEventRetentionDays` are first folded into site_daily_list (per Oslo
 * day and card: first and last tap, count, latest holder fields), then deleted, in one transaction:
 * the list of a day outlives its raw taps, and a crash leaves either both or neither.
 * Once the Oslo date is after building work end + 6 months, the site's list rows, its workers
 * added by hand and any raw events left are deleted.
 * `ingest_errors` (malformed stream messages, kept raw: they can hold names) go by the same raw-event
 * retention. They have no site (a malformed message may name none), so pruning any site deletes
 * the store's ingest errors older than that site's raw cutoff.
 */
import type { SqlDb, SqlQueryable } from '../store/db.js';
import type { SiteConfig } from './config.js';
import { osloDateText, MS_PER_DAY } from '../../codec/osloCalendar.js';
import { needInstant } from '../../codec/guard.js';
import { needDbAndSite } from './errors.js';

export interface PruneResult {
  /** Raw events deleted (all of them folded into the list first, when they were allowed taps with a card number). */
  eventsDeleted: number;
  /** List rows written or updated by folding. */
  listRowsFolded: number;
  /** True when the list data was past building work end + 6 months and was deleted. */
  listExpired: boolean;
  listRowsDeleted: number;
  manualWorkersDeleted: number;
  /** Ingest errors (raw malformed messages) older than the raw cutoff, deleted. */
  ingestErrorsDeleted: number;
  /** The instant before which raw events were deleted (ISO 8601). */
  rawCutoff: string;
  /** The last day the list is kept (building work end + 6 months), when the end is configured. */
  listKeptUntil?: string;
}

// Per (Oslo day, card): the allowed taps make the row; the holder fields may come from any tap of
// the card that day, refused ones too (the gate reads them after its decision either way).
const FOLD = `
INSERT INTO site_daily_list AS l (site_id, day, card_number, holder_name, birth_date, org_name, org_number, category, first_at, last_at, taps)
SELECT site_id, (at AT TIME ZONE 'Europe/Oslo')::date, card_number,
  (array_agg(holder_name ORDER BY at DESC) FILTER (WHERE holder_name IS NOT NULL))[1],
  (array_agg(birth_date ORDER BY at DESC) FILTER (WHERE holder_name IS NOT NULL))[1],
  (array_agg(org_name ORDER BY at DESC) FILTER (WHERE holder_name IS NOT NULL))[1],
  (array_agg(org_number ORDER BY at DESC) FILTER (WHERE allow AND org_number IS NOT NULL))[1],
  (array_agg(category ORDER BY at DESC) FILTER (WHERE allow AND category IS NOT NULL))[1],
  min(at) FILTER (WHERE allow), max(at) FILTER (WHERE allow), (count(*) FILTER (WHERE allow))::integer
FROM events WHERE site_id = $1 AND at < $2::timestamptz AND card_number IS NOT NULL
GROUP BY site_id, (at AT TIME ZONE 'Europe/Oslo')::date, card_number
HAVING count(*) FILTER (WHERE allow) > 0
ON CONFLICT (site_id, day, card_number) DO UPDATE SET
  holder_name = coalesce(EXCLUDED.holder_name, l.holder_name),
  birth_date = CASE WHEN EXCLUDED.holder_name IS NOT NULL THEN EXCLUDED.birth_date ELSE l.birth_date END,
  org_name = CASE WHEN EXCLUDED.holder_name IS NOT NULL THEN EXCLUDED.org_name ELSE l.org_name END,
  org_number = coalesce(EXCLUDED.org_number, l.org_number),
  category = coalesce(EXCLUDED.category, l.category),
  first_at = least(l.first_at, EXCLUDED.first_at),
  last_at = greatest(l.last_at, EXCLUDED.last_at),
  taps = l.taps + EXCLUDED.taps
RETURNING 1`;

// The HMSREG export's record of a deleted event goes with it: HMSREG's answer may repeat the
// holder's data, and a record without its event has nothing left to guard (migration 3).
const ORPHAN_SENT = `DELETE FROM hmsreg_sent s WHERE s.site_id = $1
  AND NOT EXISTS (SELECT 1 FROM events e WHERE e.site_id = s.site_id AND e.gate_id = s.gate_id AND e.seq = s.seq)`;

/** `day` (YYYY-MM-DD) plus `months` calendar months, the day clamped to the month's end (2026-08-31 + 6 = 2027-02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Runs a DELETE and counts its rows in the server (no row travels back). */
async function count(tx: SqlQueryable, del: string, params: unknown[]): Promise<number> {
  return (await tx.query<{ n: number }>(`WITH d AS (${del} RETURNING 1) SELECT count(*)::integer AS n FROM d`, params)).rows[0].n;
}

/** Applies `cfg`'s retention to its site at the instant `now`. */
export async function pruneSite(db: SqlDb, cfg: SiteConfig, now: Date): Promise<PruneResult> {
  needDbAndSite('pruneSite', db, cfg, true);
  needInstant('pruneSite', 'now', now);
  const site = cfg.siteId;
  const rawCutoff = new Date(now.getTime() - cfg.rawEventRetentionDays * MS_PER_DAY).toISOString();
  const listKeptUntil = cfg.buildingWorkEnd === undefined ? undefined : addMonths(cfg.buildingWorkEnd, 6);
  const today = osloDateText(now.getTime());
  const listExpired = listKeptUntil !== undefined && today > listKeptUntil;
  return db.transaction(async (tx) => {
    const ingestErrorsDeleted = await count(tx, 'DELETE FROM ingest_errors WHERE at < $1::timestamptz', [rawCutoff]);
    const result: PruneResult = { eventsDeleted: 0, listRowsFolded: 0, listExpired, listRowsDeleted: 0, manualWorkersDeleted: 0, ingestErrorsDeleted, rawCutoff, ...(listKeptUntil ? { listKeptUntil } : {}) };
    if (listExpired) {
      result.eventsDeleted = await count(tx, 'DELETE FROM events WHERE site_id = $1', [site]);
      result.listRowsDeleted = await count(tx, 'DELETE FROM site_daily_list WHERE site_id = $1', [site]);
      result.manualWorkersDeleted = await count(tx, 'DELETE FROM site_workers_manual WHERE site_id = $1', [site]);
      await tx.query(ORPHAN_SENT, [site]);
      return result;
    }
    result.listRowsFolded = (await tx.query<{ n: number }>(`WITH f AS (${FOLD}) SELECT count(*)::integer AS n FROM f`, [site, rawCutoff])).rows[0].n;
    result.eventsDeleted = await count(tx, 'DELETE FROM events WHERE site_id = $1 AND at < $2::timestamptz', [site, rawCutoff]);
    await tx.query(ORPHAN_SENT, [site]);
    return result;
  });
}
