/**
 * The daily list's behaviour on one database: run on PGlite by test/unit/fleet/site/dailyList.test.ts
 * and on a real PostgreSQL 15 by test/integration/fleet/site/dailyList-postgres.test.ts, so both
 * engines answer the same hand-written expectations (test/helpers/siteDay.ts). One database per
 * file (a PGlite start costs seconds): the cases run in order and build on each other.
 */
import { expect, it } from 'vitest';
import type { SqlDb } from '../../src/fleet/store/db.js';
import { dailyList } from '../../src/fleet/site/dailyList.js';
import { addManualWorker } from '../../src/fleet/site/manualWorkers.js';
import { pruneSite } from '../../src/fleet/site/prune.js';
import { parseSiteConfig } from '../../src/fleet/site/config.js';
import { EXPECTED_A_0328_CARDS, EXPECTED_A_0329, EXPECTED_A_0330_CARDS, EXPECTED_B_0329, FIXTURE_TAPS, NILS, SITE_A, SITE_A_JSON, SITE_B, storeTaps } from './siteDay.js';

const cards = (l: Awaited<ReturnType<typeof dailyList>>) => l.workers.filter((w) => w.source === 'taps').map((w) => [w.cardNumber, w.firstTap, w.lastTap, w.taps]);

export function siteListCases(db: () => SqlDb): void {
  const OLA_NEXT_DAY = FIXTURE_TAPS.findIndex((t) => t.at === '2026-03-30T05:00:00Z');

  it('a name is marked missing until a later tap of that card carries the holder fields', async () => {
    await storeTaps(db(), FIXTURE_TAPS.filter((_, i) => i !== OLA_NEXT_DAY));
    const before = await dailyList(db(), SITE_A, '2026-03-29');
    expect(before.workers.find((w) => w.cardNumber === '100000000029')).toMatchObject({ name: null, nameMissing: true, birthDate: null, employer: { name: null, orgNumber: '923609016' } });
    await storeTaps(db(), [FIXTURE_TAPS[OLA_NEXT_DAY]], 100);
    const after = await dailyList(db(), SITE_A, '2026-03-29');
    expect(after.workers.find((w) => w.cardNumber === '100000000029')).toMatchObject({ name: 'Ola Hansen', nameMissing: false, birthDate: '1992-11-30' });
  });

  it('site A, 2026-03-29 (23-hour DST day): the hand-written rows, with the worker added by hand', async () => {
    await addManualWorker(db(), SITE_A, NILS);
    // The same worker added at site B must not show at A.
    await addManualWorker(db(), SITE_B, { ...NILS, name: 'Berit Brygge' });
    const l = await dailyList(db(), SITE_A, '2026-03-29');
    expect(l.site).toEqual({ id: 'kvartal7', name: 'Kvartal 7', address: 'Storgata 7, 0155 Oslo' });
    expect(l.byggherre).toEqual({ name: 'Eiendom Kvartal 7 AS', orgNumber: '971524960' });
    expect(l.workers).toEqual(EXPECTED_A_0329);
  });

  it("site B's list holds B's workers only, and A's list none of B's", async () => {
    const b = await dailyList(db(), SITE_B, '2026-03-29');
    expect(b.workers.filter((w) => w.source === 'taps')).toEqual(EXPECTED_B_0329);
    expect(b.workers.filter((w) => w.source === 'manual').map((w) => w.name)).toEqual(['Berit Brygge']);
    const a = await dailyList(db(), SITE_A, '2026-03-29');
    const names = a.workers.map((w) => w.name);
    for (const n of ['Per Berg', 'Bjørn Brygge', 'Berit Brygge']) expect(names).not.toContain(n);
    expect(a.workers.map((w) => w.cardNumber)).not.toContain('200000000019');
  });

  it('the Oslo day bounds: 2026-03-28 (UTC+1) and 2026-03-30 (UTC+2) get the taps one second either side', async () => {
    expect(cards(await dailyList(db(), SITE_A, '2026-03-28'))).toEqual(EXPECTED_A_0328_CARDS);
    expect(cards(await dailyList(db(), SITE_A, '2026-03-30'))).toEqual(EXPECTED_A_0330_CARDS);
    expect((await dailyList(db(), SITE_A, '2026-03-30')).workers.some((w) => w.source === 'manual')).toBe(false);
  });

  it('prune: raw events past retention are folded into the list first, so each day reads the same after', async () => {
    const days = ['2026-03-28', '2026-03-29', '2026-03-30'];
    const before = await Promise.all(days.map((d) => dailyList(db(), SITE_A, d)));
    const rawB = (await db().query<{ n: number }>(`SELECT count(*)::integer AS n FROM events WHERE site_id = 'brygga'`)).rows[0].n;
    // 30 days before 2026-04-28T06:00Z is 2026-03-29T06:00Z: mid-day, part of Kari's day folded, part left.
    const partial = await pruneSite(db(), SITE_A, new Date('2026-04-28T06:00:00Z'));
    expect(partial).toMatchObject({ rawCutoff: '2026-03-29T06:00:00.000Z', listExpired: false, listKeptUntil: '2027-02-28' });
    // Before 06:00Z: Kari 22:59:59Z and 23:00Z, Ola 05:00Z; Siv's refused 06:00Z is not before. 3 events, 3 (day, card) rows.
    expect(partial).toMatchObject({ eventsDeleted: 3, listRowsFolded: 3 });
    expect(await Promise.all(days.map((d) => dailyList(db(), SITE_A, d)))).toEqual(before);
    const full = await pruneSite(db(), SITE_A, new Date('2026-05-01T00:00:00Z'));
    expect(full.eventsDeleted).toBe(FIXTURE_TAPS.filter((t) => t.site === 'kvartal7').length - 3);
    expect((await db().query<{ n: number }>(`SELECT count(*)::integer AS n FROM events WHERE site_id = 'kvartal7'`)).rows[0].n).toBe(0);
    expect(await Promise.all(days.map((d) => dailyList(db(), SITE_A, d)))).toEqual(before);
    // Site B untouched by pruning A.
    expect((await db().query<{ n: number }>(`SELECT count(*)::integer AS n FROM events WHERE site_id = 'brygga'`)).rows[0].n).toBe(rawB);
  });

  it('prune: the list is kept through building work end + 6 months (Oslo date), then deleted, site by site', async () => {
    const last = await pruneSite(db(), SITE_A, new Date('2027-02-28T22:59:59Z')); // 23:59:59 on 2027-02-28 in Oslo
    expect(last.listExpired).toBe(false);
    expect((await dailyList(db(), SITE_A, '2026-03-29')).workers).toEqual(EXPECTED_A_0329);
    // Folded rows of A: 03-28 Kari; 03-29 Kari, Ola, Siv, ...052; 03-30 Kari, Ola = 7.
    const gone = await pruneSite(db(), SITE_A, new Date('2027-02-28T23:00:00Z')); // 00:00 on 2027-03-01 in Oslo
    expect(gone).toMatchObject({ listExpired: true, listRowsDeleted: 7, manualWorkersDeleted: 1 });
    expect((await dailyList(db(), SITE_A, '2026-03-29')).workers).toEqual([]);
    expect((await dailyList(db(), SITE_B, '2026-03-29')).workers).toHaveLength(3);
    // A site without buildingWorkEnd keeps its list.
    const open = parseSiteConfig(JSON.stringify({ ...SITE_A_JSON, siteId: 'brygga', buildingWorkEnd: undefined }));
    expect((await pruneSite(db(), open, new Date('2030-01-01T00:00:00Z'))).listExpired).toBe(false);
  });
}
