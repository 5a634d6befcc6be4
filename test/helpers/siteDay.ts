/**
 * The fixture day of the site list's tests (issue 18 part 2): Sunday 2026-03-29, the day Norway
 * goes to summer time (tzdata "EU" rule: 01:00 UTC on the last Sunday of March), so the Oslo day
 * runs from 2026-03-28T23:00Z to 2026-03-29T22:00Z (23 hours). Two sites, several gates, cards with
 * and without holder fields, refused taps, a tap one second either side of each midnight.
 * The expected lists are written by hand in the tests from this table, not computed.
 *
 * Holder fields are written with an UPDATE after the store's own insert, so the fixture does not
 * depend on how the gate side carries them (issue 18 part 1).
 */
import type { SqlQueryable } from '../../src/fleet/store/db.js';
import { eventRow } from '../../src/fleet/store/eventShape.js';
import { insertEvents } from '../../src/fleet/store/events.js';
import { parseSiteConfig, type SiteConfig } from '../../src/fleet/site/config.js';

export interface Tap {
  site: string;
  gate: string;
  at: string;
  card?: string;
  org?: string;
  category?: 'construction' | 'cleaning';
  allow?: boolean;
  holder?: { name: string; birthDate: string; orgName: string };
  /** The gate's hot list: revision (default 7; 0 is no feed) and age at the tap (default none). */
  hotlistRevision?: number;
  hotlistAgeMs?: number;
}

export const BYGG = { name: 'Bygg og Betong AS', orgNumber: '974760673' };
export const BEMANNING = { name: 'Bemanning Nord AS', orgNumber: '923609016' };
export const RENHOLD = { name: 'Renhold & Co, avd. "Sør"', orgNumber: '982463718' };

export const KARI = { name: 'Kari Nordmann', birthDate: '1985-02-14', orgName: BYGG.name };
export const OLA = { name: 'Ola Hansen', birthDate: '1992-11-30', orgName: BEMANNING.name };
export const PER = { name: 'Per Berg', birthDate: '1979-07-01', orgName: BYGG.name };
export const SIV = { name: 'Siv Ødegård, jr.', birthDate: '2001-04-22', orgName: RENHOLD.name };

export const FIXTURE_TAPS: Tap[] = [
  // Site A (kvartal7). Kari: one second before, at, and one second before the end of the Oslo day.
  { site: 'kvartal7', gate: 'north', at: '2026-03-28T22:59:59Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction' },
  { site: 'kvartal7', gate: 'north', at: '2026-03-28T23:00:00Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction' },
  { site: 'kvartal7', gate: 'south', at: '2026-03-29T06:30:00Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction', holder: KARI },
  { site: 'kvartal7', gate: 'north', at: '2026-03-29T21:59:59Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction' },
  { site: 'kvartal7', gate: 'north', at: '2026-03-29T22:00:00Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction' },
  // Ola, hired through Bemanning Nord: no holder fields on the day; the next day's tap carries them.
  { site: 'kvartal7', gate: 'south', at: '2026-03-29T05:00:00Z', card: '100000000029', org: BEMANNING.orgNumber, category: 'construction' },
  { site: 'kvartal7', gate: 'east', at: '2026-03-29T14:00:00Z', card: '100000000029', org: BEMANNING.orgNumber, category: 'construction' },
  { site: 'kvartal7', gate: 'south', at: '2026-03-30T05:00:00Z', card: '100000000029', org: BEMANNING.orgNumber, category: 'construction', holder: OLA },
  // Siv, cleaning: refused at 06:00Z (not on the list for that), allowed at 07:00Z, holder fields on the refused tap only.
  { site: 'kvartal7', gate: 'east', at: '2026-03-29T06:00:00Z', card: '100000000037', org: RENHOLD.orgNumber, category: 'cleaning', allow: false, holder: SIV },
  { site: 'kvartal7', gate: 'east', at: '2026-03-29T07:00:00Z', card: '100000000037', org: RENHOLD.orgNumber, category: 'cleaning' },
  // A card refused all day, and a tap with no card number read: neither is on the list.
  { site: 'kvartal7', gate: 'north', at: '2026-03-29T08:00:00Z', card: '100000000045', org: BYGG.orgNumber, category: 'construction', allow: false },
  { site: 'kvartal7', gate: 'north', at: '2026-03-29T08:01:00Z', allow: false },
  // Card 100000000052 taps at A without holder fields; at B its holder fields are read: A never sees them.
  { site: 'kvartal7', gate: 'south', at: '2026-03-29T09:00:00Z', card: '100000000052', org: BYGG.orgNumber, category: 'construction' },
  // Site B (brygga).
  { site: 'brygga', gate: 'main', at: '2026-03-29T08:00:00Z', card: '200000000019', org: BYGG.orgNumber, category: 'construction', holder: PER },
  { site: 'brygga', gate: 'main', at: '2026-03-29T10:00:00Z', card: '100000000052', org: BYGG.orgNumber, category: 'construction', holder: { name: 'Bjørn Brygge', birthDate: '1970-01-01', orgName: BYGG.name } },
];

/** Stores `taps` with per-gate sequences starting at `firstSeq` (the store's own insert, then the holder fields). */
export async function storeTaps(db: SqlQueryable, taps: readonly Tap[], firstSeq = 1): Promise<void> {
  const seqs = new Map<string, number>();
  const rows = taps.map((t) => {
    const key = `${t.site}/${t.gate}`;
    const seq = seqs.get(key) ?? firstSeq;
    seqs.set(key, seq + 1);
    const allow = t.allow ?? true;
    return eventRow({
      gateId: `${t.site}-${t.gate}`,
      site: t.site,
      seq,
      hotlistRevision: t.hotlistRevision ?? 7,
      ...(t.hotlistAgeMs === undefined ? {} : { hotlistAgeMs: t.hotlistAgeMs }),
      decision: {
        allow,
        reason: allow ? 'ok' : t.card ? 'hotlisted' : 'invalid',
        ...(t.card ? {} : { error: 'CARD_REMOVED' }),
        uid: '04a1b2c3',
        at: t.at,
        ...(t.card ? { cardNumber: t.card, orgNumber: t.org, category: t.category, expiry: '2028-12-31', issue: 1 } : {}),
      },
    });
  });
  await insertEvents(db, rows);
  for (let i = 0; i < taps.length; i++) {
    const h = taps[i].holder;
    if (h) await db.query('UPDATE events SET holder_name = $3, birth_date = $4, org_name = $5 WHERE site_id = $6 AND gate_id = $1 AND seq = $2', [rows[i].gate_id, rows[i].seq, h.name, h.birthDate, h.orgName, rows[i].site_id]);
  }
}

export const SITE_A_JSON = {
  siteId: 'kvartal7',
  name: 'Kvartal 7',
  address: 'Storgata 7, 0155 Oslo',
  byggherre: { name: 'Eiendom Kvartal 7 AS', orgNumber: '971524960' },
  buildingWorkEnd: '2026-08-31',
  hiredWorkers: [{ employerOrgNumber: BEMANNING.orgNumber, hiringCompany: BYGG }],
};
export const SITE_B_JSON = { siteId: 'brygga', name: 'Bryggen, "hus B"', address: 'Bryggen 1,\n5003 Bergen'.replace('\n', ' '), byggherre: { name: 'Brygge Eiendom AS', orgNumber: '991825827' }, rawEventRetentionDays: 10 };

export const SITE_A: SiteConfig = parseSiteConfig(JSON.stringify(SITE_A_JSON));
export const SITE_B: SiteConfig = parseSiteConfig(JSON.stringify(SITE_B_JSON));

/** A worker added by hand on site A for 2026-03-27..2026-03-29 (card on order). */
export const NILS = { name: 'Nils Venter', birthDate: '1990-05-01', employer: BYGG, from: '2026-03-27', to: '2026-03-29' };

/**
 * Site A's list of 2026-03-29, by hand from FIXTURE_TAPS (Oslo day 2026-03-28T23:00Z..2026-03-29T22:00Z):
 * Kari 3 taps (23:00:00Z, 06:30Z, 21:59:59Z; not 22:59:59Z of the day before nor 22:00Z, the next day);
 * Ola 2 taps, his name from the next day's tap, hired by Bygg og Betong (site config);
 * Siv 1 allowed tap (the refused one does not count), her name from the refused tap;
 * card ...052 without a name at this site (its holder fields were read at site B only);
 * Nils added by hand (the first row of site_workers_manual: id 1). Card ...045 (refused only) and the tap without a card are absent.
 */
export const EXPECTED_A_0329 = [
  { cardNumber: '100000000011', name: KARI.name, nameMissing: false, birthDate: KARI.birthDate, employer: { name: BYGG.name, orgNumber: BYGG.orgNumber }, hiringCompany: null, category: 'construction', firstTap: '2026-03-28T23:00:00.000Z', lastTap: '2026-03-29T21:59:59.000Z', taps: 3, source: 'taps', manualId: null },
  { cardNumber: null, name: NILS.name, nameMissing: false, birthDate: NILS.birthDate, employer: BYGG, hiringCompany: null, category: null, firstTap: null, lastTap: null, taps: 0, source: 'manual', manualId: 1 },
  { cardNumber: '100000000029', name: OLA.name, nameMissing: false, birthDate: OLA.birthDate, employer: { name: BEMANNING.name, orgNumber: BEMANNING.orgNumber }, hiringCompany: BYGG, category: 'construction', firstTap: '2026-03-29T05:00:00.000Z', lastTap: '2026-03-29T14:00:00.000Z', taps: 2, source: 'taps', manualId: null },
  { cardNumber: '100000000037', name: SIV.name, nameMissing: false, birthDate: SIV.birthDate, employer: { name: RENHOLD.name, orgNumber: RENHOLD.orgNumber }, hiringCompany: null, category: 'cleaning', firstTap: '2026-03-29T07:00:00.000Z', lastTap: '2026-03-29T07:00:00.000Z', taps: 1, source: 'taps', manualId: null },
  { cardNumber: '100000000052', name: null, nameMissing: true, birthDate: null, employer: { name: null, orgNumber: BYGG.orgNumber }, hiringCompany: null, category: 'construction', firstTap: '2026-03-29T09:00:00.000Z', lastTap: '2026-03-29T09:00:00.000Z', taps: 1, source: 'taps', manualId: null },
];

/** Site B's list of 2026-03-29. */
export const EXPECTED_B_0329 = [
  { cardNumber: '100000000052', name: 'Bjørn Brygge', nameMissing: false, birthDate: '1970-01-01', employer: { name: BYGG.name, orgNumber: BYGG.orgNumber }, hiringCompany: null, category: 'construction', firstTap: '2026-03-29T10:00:00.000Z', lastTap: '2026-03-29T10:00:00.000Z', taps: 1, source: 'taps', manualId: null },
  { cardNumber: '200000000019', name: PER.name, nameMissing: false, birthDate: PER.birthDate, employer: { name: BYGG.name, orgNumber: BYGG.orgNumber }, hiringCompany: null, category: 'construction', firstTap: '2026-03-29T08:00:00.000Z', lastTap: '2026-03-29T08:00:00.000Z', taps: 1, source: 'taps', manualId: null },
];

/** Site A, 2026-03-28 (Oslo UTC+1 all day): Kari's 22:59:59Z tap only. 2026-03-30: Kari at 22:00Z (00:00 Oslo) and Ola at 05:00Z. */
export const EXPECTED_A_0328_CARDS = [['100000000011', '2026-03-28T22:59:59.000Z', '2026-03-28T22:59:59.000Z', 1]];
export const EXPECTED_A_0330_CARDS = [['100000000011', '2026-03-29T22:00:00.000Z', '2026-03-29T22:00:00.000Z', 1], ['100000000029', '2026-03-30T05:00:00.000Z', '2026-03-30T05:00:00.000Z', 1]];
