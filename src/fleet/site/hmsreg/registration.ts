/**
 * One HMSREG registration per tap (issue 18 part 3): the JSON body of `POST /api/registreringer`
 * and the query for the taps not yet sent (their rows in `hmsreg_sent`: ledger.ts).
 *
 * HMSREG publishes no API documentation we could find (searched 2026-12; what is public describes
 * the service, e.g. https://www.banenor.no/leverandor/serios-og-ansvarlig-leverandorkjede/bruk-av-hmsreghmsreg-app/),
 * so the field list of the issue is taken literally; the choices are in docs/site.md:
 * - Retning: our gates have no direction; the site configuration names one per gate, default "Inn".
 * - Tidspunkt: the tap's instant, ISO 8601 in UTC (`Date.prototype.toISOString`).
 * - Navn, Fødselsdato: the tap's holder fields, else the latest this site holds for the card, else null.
 * - Only allowed taps with a card number: a refused card did not enter (as the daily list).
 */
import type { SqlQueryable } from '../../store/db.js';
import type { SiteConfig } from '../config.js';

export interface Registration {
  Kortnr: string;
  Retning: 'Inn' | 'Ut';
  Tidspunkt: string;
  Navn: string | null;
  Orgnr: string | null;
  HmsRegnr: string;
  Kilde: 'hmskort';
  Korttype: 'HMS-kort';
  Fødselsdato: string | null;
}

export interface PendingTap {
  gate_id: string;
  seq: number;
  at: Date | string;
  card_number: string;
  org_number: string | null;
  holder_name: string | null;
  birth_date: string | null;
}

// Holder fields as a pair: the tap's own when it carries them, else the card's latest at this site,
// from raw events and from the folded list rows (`site prune` deletes raw events after their
// retention but keeps the holder in site_daily_list), as the daily list does (dailyList.ts HOLDERS).
const SELECT = `
SELECT e.gate_id, e.seq, e.at, e.card_number, e.org_number,
  CASE WHEN e.holder_name IS NOT NULL THEN e.holder_name ELSE h.holder_name END AS holder_name,
  CASE WHEN e.holder_name IS NOT NULL THEN e.birth_date ELSE h.birth_date END AS birth_date
FROM events e
LEFT JOIN LATERAL (
  SELECT x.holder_name, x.birth_date FROM (
    SELECT holder_name, birth_date, at FROM events
    WHERE site_id = e.site_id AND card_number = e.card_number AND holder_name IS NOT NULL
    UNION ALL
    SELECT holder_name, birth_date, last_at FROM site_daily_list
    WHERE site_id = e.site_id AND card_number = e.card_number AND holder_name IS NOT NULL) x
  ORDER BY x.at DESC LIMIT 1) h ON true
WHERE e.site_id = $1 AND e.allow AND e.card_number IS NOT NULL`;
const ORDER = `
ORDER BY e.at, e.gate_id, e.seq
LIMIT $2`;
const PENDING = `${SELECT}
  AND NOT EXISTS (SELECT 1 FROM hmsreg_sent s WHERE s.site_id = e.site_id AND s.gate_id = e.gate_id AND s.seq = e.seq)${ORDER}`;
// The taps in doubt (ledger.ts), for a deliberate resend.
const UNKNOWN = `${SELECT}
  AND EXISTS (SELECT 1 FROM hmsreg_sent s WHERE s.site_id = e.site_id AND s.gate_id = e.gate_id AND s.seq = e.seq AND s.status = 'unknown')${ORDER}`;

const COUNT = `
SELECT count(*)::integer AS n FROM events e
WHERE e.site_id = $1 AND e.allow AND e.card_number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM hmsreg_sent s WHERE s.site_id = e.site_id AND s.gate_id = e.gate_id AND s.seq = e.seq)`;

/** The next `limit` taps of the site not yet registered (or, `unknown`, in doubt), oldest first. */
export async function pendingTaps(db: SqlQueryable, siteId: string, limit: number, which: 'pending' | 'unknown' = 'pending'): Promise<PendingTap[]> {
  return (await db.query<PendingTap>(which === 'pending' ? PENDING : UNKNOWN, [siteId, limit])).rows;
}

export async function countPending(db: SqlQueryable, siteId: string): Promise<number> {
  return (await db.query<{ n: number }>(COUNT, [siteId])).rows[0].n;
}

export function registrationOf(cfg: SiteConfig & { hmsregNumber: string }, tap: PendingTap): Registration {
  return {
    Kortnr: tap.card_number,
    Retning: cfg.gateDirections[tap.gate_id] ?? 'Inn',
    Tidspunkt: new Date(tap.at).toISOString(),
    Navn: tap.holder_name,
    Orgnr: tap.org_number,
    HmsRegnr: cfg.hmsregNumber,
    Kilde: 'hmskort',
    Korttype: 'HMS-kort',
    Fødselsdato: tap.birth_date,
  };
}
