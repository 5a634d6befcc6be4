/**
 * The daily list of one site and one Oslo day (issue 18 part 2; byggherreforskriften § 15): who
 * worked there, with (a) the site's name and address, (b) the byggherre, (c) each worker's employer
 * and, for hired workers, the hiring company, (d) the organisation numbers, (e) name, birth date,
 * employer and HMS card number; plus the first and last tap of the day and the card's category.
 *
 * Rows come from three places, every query bound to the site id (one site never sees another's):
 * the raw events of the day (allowed taps that carry a card number: a refused card did not enter),
 * the rows `site prune` folded out of raw events it deleted (site_daily_list), and the workers
 * added by hand. A worker added by hand who, that day, also has a card row with the same name, birth
 * date and employer (src/fleet/site/sameWorker.ts) appears once: as the card row, whose `manualId`
 * names the hand-added row it replaces. A card's name, birth date and employer name are its latest holder fields at this
 * site from any tap, earlier or later: a tap that left the field before the gate read them is
 * completed by the next one; until then the name is marked missing.
 *
 * The day is Europe/Oslo's: its bounds are computed by PostgreSQL from its zone data
 * (`date::timestamp AT TIME ZONE 'Europe/Oslo'`), so a DST day is 23 or 25 hours long.
 */
import type { SqlQueryable } from '../store/db.js';
import type { Company, SiteConfig } from './config.js';
import { hiringCompanyOf } from './hiredWorkers.js';
import { needDay, needDbAndSite } from './errors.js';
import { sameWorker } from './sameWorker.js';
import { manualWorkersOn, type ManualWorkerRow } from './manualWorkers.js';

export interface ListWorker {
  /** The HMS card number; null for a worker added by hand whose card is on order. */
  cardNumber: string | null;
  name: string | null;
  /** True when no tap of this card has carried the holder fields yet. */
  nameMissing: boolean;
  birthDate: string | null;
  employer: { name: string | null; orgNumber: string | null };
  hiringCompany: Company | null;
  category: string | null;
  /** First and last tap of the day (ISO 8601, UTC); null for a worker added by hand. */
  firstTap: string | null;
  lastTap: string | null;
  taps: number;
  source: 'taps' | 'manual';
  /**
   * The row of site_workers_manual: for `manual`, this row's id (`site remove-worker --id`); for
   * `taps`, the hand-added row this card row replaces that day (the lowest id when several match), else null.
   */
  manualId: number | null;
}

export interface DailyList {
  date: string;
  site: { id: string; name: string; address: string };
  byggherre: Company;
  workers: ListWorker[];
}

/** UTC bounds of the Oslo day $2, as SQL expressions. */
export const OSLO_DAY_FROM = `($2::date::timestamp AT TIME ZONE 'Europe/Oslo')`;
export const OSLO_DAY_TO = `(($2::date + 1)::timestamp AT TIME ZONE 'Europe/Oslo')`;

interface TapRow {
  card_number: string;
  first_at: Date | string;
  last_at: Date | string;
  taps: number;
  org_number: string | null;
  category: string | null;
  holder_name?: string | null;
  birth_date?: string | null;
  org_name?: string | null;
}

const LIVE = `
SELECT card_number, min(at) AS first_at, max(at) AS last_at, count(*)::integer AS taps,
  (array_agg(org_number ORDER BY at DESC) FILTER (WHERE org_number IS NOT NULL))[1] AS org_number,
  (array_agg(category ORDER BY at DESC) FILTER (WHERE category IS NOT NULL))[1] AS category
FROM events
WHERE site_id = $1 AND at >= ${OSLO_DAY_FROM} AND at < ${OSLO_DAY_TO} AND allow AND card_number IS NOT NULL
GROUP BY card_number`;

const STORED = `
SELECT card_number, first_at, last_at, taps, org_number, category, holder_name, birth_date, org_name
FROM site_daily_list WHERE site_id = $1 AND day = $2::date`;

// Latest holder fields per card at this site, from raw events and from folded list rows.
const HOLDERS = `
SELECT DISTINCT ON (card_number) card_number, holder_name, birth_date, org_name FROM (
  SELECT card_number, holder_name, birth_date, org_name, at FROM events
  WHERE site_id = $1 AND holder_name IS NOT NULL AND card_number IN (SELECT jsonb_array_elements_text($2::jsonb))
  UNION ALL
  SELECT card_number, holder_name, birth_date, org_name, last_at FROM site_daily_list
  WHERE site_id = $1 AND holder_name IS NOT NULL AND card_number IN (SELECT jsonb_array_elements_text($2::jsonb))
) h ORDER BY card_number, at DESC`;

/**
 * Card rows that are a worker added by hand (same name, birth date, employer) take that row's id;
 * a card row without a hiring company takes the hand-added row's (the configuration's rules, by
 * card or employer, come first: docs/site.md). Returns the ids of the hand-added rows replaced.
 */
function replaceManual(cardRows: ListWorker[], manual: readonly ManualWorkerRow[]): Set<number> {
  const replaced = new Set<number>();
  for (const w of cardRows) {
    const matches = manual.filter((m) => sameWorker({ name: w.name, birthDate: w.birthDate, orgNumber: w.employer.orgNumber }, { name: m.name, birthDate: m.birthDate, orgNumber: m.employer.orgNumber }));
    if (matches.length === 0) continue;
    w.manualId = matches[0].id; // manualWorkersOn orders by id
    for (const m of matches) replaced.add(m.id);
    w.hiringCompany ??= matches.find((m) => m.hiringCompany !== undefined)?.hiringCompany ?? null;
  }
  return replaced;
}

const iso = (v: Date | string): string => new Date(v).toISOString();

/** Merges the day's live taps with the folded rows of the same card (disjoint sets of taps). */
function mergeTaps(live: TapRow[], stored: TapRow[]): Map<string, TapRow> {
  const byCard = new Map<string, TapRow>();
  for (const r of [...stored, ...live]) {
    const had = byCard.get(r.card_number);
    if (!had) {
      byCard.set(r.card_number, { ...r });
      continue;
    }
    const later = iso(r.last_at) >= iso(had.last_at) ? r : had;
    byCard.set(r.card_number, {
      card_number: r.card_number,
      first_at: iso(r.first_at) < iso(had.first_at) ? r.first_at : had.first_at,
      last_at: later.last_at,
      taps: had.taps + r.taps,
      org_number: later.org_number ?? had.org_number ?? r.org_number,
      category: later.category ?? had.category ?? r.category,
    });
  }
  return byCard;
}

/** Sorted by name (missing names last), then card number: the order an inspector reads. */
function byName(a: ListWorker, b: ListWorker): number {
  if (a.name === null || b.name === null) return a.name === b.name ? (a.cardNumber ?? '').localeCompare(b.cardNumber ?? '') : a.name === null ? 1 : -1;
  return a.name.localeCompare(b.name, 'nb') || (a.cardNumber ?? '').localeCompare(b.cardNumber ?? '');
}

/** The daily list of `cfg`'s site for the Oslo day `date` (YYYY-MM-DD). */
export async function dailyList(db: SqlQueryable, cfg: SiteConfig, date: string): Promise<DailyList> {
  needDbAndSite('dailyList', db, cfg);
  needDay(date, 'date');
  const site = cfg.siteId;
  const live = (await db.query<TapRow>(LIVE, [site, date])).rows;
  const stored = (await db.query<TapRow>(STORED, [site, date])).rows;
  const taps = mergeTaps(live, stored);
  const cards = [...taps.keys()];
  const holders = new Map<string, { holder_name: string; birth_date: string | null; org_name: string | null }>();
  if (cards.length > 0) {
    for (const h of (await db.query<{ card_number: string; holder_name: string; birth_date: string | null; org_name: string | null }>(HOLDERS, [site, JSON.stringify(cards)])).rows) holders.set(h.card_number, h);
  }
  const workers: ListWorker[] = [];
  for (const t of taps.values()) {
    const h = holders.get(t.card_number);
    workers.push({
      cardNumber: t.card_number,
      name: h?.holder_name ?? null,
      nameMissing: h === undefined,
      birthDate: h?.birth_date ?? null,
      employer: { name: h?.org_name ?? null, orgNumber: t.org_number },
      hiringCompany: hiringCompanyOf(cfg.hiredWorkers, t.org_number, t.card_number) ?? null,
      category: t.category,
      firstTap: iso(t.first_at),
      lastTap: iso(t.last_at),
      taps: t.taps,
      source: 'taps',
      manualId: null,
    });
  }
  const manual = await manualWorkersOn(db, site, date);
  const replaced = replaceManual(workers, manual);
  for (const m of manual) {
    if (replaced.has(m.id)) continue;
    workers.push({
      cardNumber: null,
      name: m.name,
      nameMissing: false,
      birthDate: m.birthDate,
      employer: m.employer,
      hiringCompany: m.hiringCompany ?? hiringCompanyOf(cfg.hiredWorkers, m.employer.orgNumber) ?? null,
      category: null,
      firstTap: null,
      lastTap: null,
      taps: 0,
      source: 'manual',
      manualId: m.id,
    });
  }
  workers.sort(byName);
  return { date, site: { id: site, name: cfg.name, address: cfg.address }, byggherre: cfg.byggherre, workers };
}
