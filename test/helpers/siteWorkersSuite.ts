/**
 * Workers added by hand, beyond adding them (issue 18 part 2): listed per site, a range ended
 * (never into the past), a row deleted, a card row replacing the hand-added entry from the card's
 * first tap, and hired-worker rules per card in the list. Run on PGlite by
 * test/unit/fleet/site/manualWorkers.test.ts and on PostgreSQL 15 by
 * test/integration/fleet/site/manualWorkers-postgres.test.ts, one fresh database per file; the
 * cases run in order and build on each other. Expected rows are written by hand.
 */
import { expect, it } from 'vitest';
import type { SqlDb } from '../../src/fleet/store/db.js';
import { dailyList, type ListWorker } from '../../src/fleet/site/dailyList.js';
import { addManualWorker, deleteManualWorker, endManualWorker, listManualWorkers } from '../../src/fleet/site/manualWorkers.js';
import { parseSiteConfig } from '../../src/fleet/site/config.js';
import { BEMANNING, BYGG, RENHOLD, SITE_A_JSON, SITE_B, storeTaps } from './siteDay.js';

const TAK = { name: 'Tak og Vegg AS', orgNumber: '991825827' };
/** Site A with two rules: every Bemanning worker hired in by Bygg, but card ...018's holder by Tak. */
export const SITE_W = parseSiteConfig(JSON.stringify({
  ...SITE_A_JSON,
  hiredWorkers: [{ employerOrgNumber: BEMANNING.orgNumber, hiringCompany: BYGG }, { cardNumbers: ['300000000018'], hiringCompany: TAK }],
}));

// Anna (Bemanning) added by hand with Tak as her hiring company; Bo (Renhold, no rule) with Tak too.
const ANNA = { name: 'Anna Nordli', birthDate: '1988-08-08', employer: BEMANNING, hiringCompany: TAK, from: '2026-04-01', to: '2026-04-10' };
const BO = { name: 'Bo Ødegård', birthDate: '1975-12-24', employer: RENHOLD, hiringCompany: TAK, from: '2026-04-01', to: '2026-04-10' };
const TAP = { category: 'construction' as const };

/** What `f` rejects with; fails when it resolves. */
async function thrown(f: () => Promise<unknown>): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, it resolved');
}

const row = (l: { workers: ListWorker[] }, name: string) => l.workers.filter((w) => w.name?.toLowerCase().replace(/\s+/g, ' ').trim() === name.toLowerCase());

export function siteWorkersCases(db: () => SqlDb): void {
  it('lists the workers added by hand at its own site only, with their ids', async () => {
    expect(await addManualWorker(db(), SITE_W, ANNA)).toBe(1);
    expect(await addManualWorker(db(), SITE_B, { ...BO, name: 'Berit Brygge' })).toBe(2);
    expect(await addManualWorker(db(), SITE_W, BO)).toBe(3);
    const a = await listManualWorkers(db(), SITE_W);
    expect(a.map(({ addedAt, ...w }) => (expect(addedAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/), w))).toEqual([{ id: 1, ...ANNA }, { id: 3, ...BO }]);
    expect((await listManualWorkers(db(), SITE_B)).map((w) => [w.id, w.name])).toEqual([[2, 'Berit Brygge']]);
  });

  it("before the card: the hand-added row, with its own hiring company (over the employer's rule)", async () => {
    const l = await dailyList(db(), SITE_W, '2026-04-02');
    expect(row(l, 'Anna Nordli')).toEqual([{ cardNumber: null, name: ANNA.name, nameMissing: false, birthDate: ANNA.birthDate, employer: BEMANNING, hiringCompany: TAK, category: null, firstTap: null, lastTap: null, taps: 0, source: 'manual', manualId: 1 }]);
  });

  it("from the card's first tap: one row that day, the card's, naming the hand-added row it replaces", async () => {
    await storeTaps(db(), [
      // Anna's card (her name typed differently on the card: case and spaces), Bemanning: the employer rule gives Bygg.
      { site: 'kvartal7', gate: 'w1', at: '2026-04-02T06:00:00Z', card: '300000000026', org: BEMANNING.orgNumber, ...TAP, holder: { name: '  anna   NORDLI ', birthDate: ANNA.birthDate, orgName: BEMANNING.name } },
      // Bo's card, Renhold (no rule): the hand-added row's Tak fills the empty hiring company.
      { site: 'kvartal7', gate: 'w1', at: '2026-04-02T06:05:00Z', card: '300000000034', org: RENHOLD.orgNumber, ...TAP, holder: { name: 'Bo Ødegård', birthDate: BO.birthDate, orgName: RENHOLD.name } },
      // A Bemanning worker whose card has its own rule (Tak).
      { site: 'kvartal7', gate: 'w1', at: '2026-04-02T07:00:00Z', card: '300000000018', org: BEMANNING.orgNumber, ...TAP, holder: { name: 'Kim Lie', birthDate: '1999-01-01', orgName: BEMANNING.name } },
      // Two other Anna Nordlis: same employer, another birth date; same birth date, another employer. Neither is her.
      { site: 'kvartal7', gate: 'w1', at: '2026-04-02T07:30:00Z', card: '300000000042', org: BEMANNING.orgNumber, ...TAP, holder: { name: 'Anna Nordli', birthDate: '1988-08-09', orgName: BEMANNING.name } },
      { site: 'kvartal7', gate: 'w1', at: '2026-04-02T07:45:00Z', card: '300000000075', org: BYGG.orgNumber, ...TAP, holder: { name: 'Anna Nordli', birthDate: ANNA.birthDate, orgName: BYGG.name } },
    ], 1);
    const l = await dailyList(db(), SITE_W, '2026-04-02');
    const taps = (card: string, first: string) => ({ cardNumber: card, nameMissing: false, category: 'construction', firstTap: first, lastTap: first, taps: 1, source: 'taps' });
    expect(row(l, 'Anna Nordli')).toEqual([
      { ...taps('300000000026', '2026-04-02T06:00:00.000Z'), name: '  anna   NORDLI ', birthDate: ANNA.birthDate, employer: BEMANNING, hiringCompany: BYGG, manualId: 1 },
      { ...taps('300000000042', '2026-04-02T07:30:00.000Z'), name: 'Anna Nordli', birthDate: '1988-08-09', employer: BEMANNING, hiringCompany: BYGG, manualId: null },
      { ...taps('300000000075', '2026-04-02T07:45:00.000Z'), name: 'Anna Nordli', birthDate: ANNA.birthDate, employer: BYGG, hiringCompany: null, manualId: null },
    ]);
    expect(row(l, 'Bo Ødegård')).toEqual([{ ...taps('300000000034', '2026-04-02T06:05:00.000Z'), name: BO.name, birthDate: BO.birthDate, employer: RENHOLD, hiringCompany: TAK, manualId: 3 }]);
    // Two workers of one agency, hired in by two companies: the card rule over the employer rule.
    expect(row(l, 'Kim Lie')[0]).toMatchObject({ employer: BEMANNING, hiringCompany: TAK, manualId: null });
    expect(l.workers.filter((w) => w.source === 'manual')).toEqual([]);
    // The day before the first tap still lists the hand-added rows.
    expect((await dailyList(db(), SITE_W, '2026-04-01')).workers.map((w) => [w.source, w.manualId])).toEqual([['manual', 1], ['manual', 3]]);
  });

  it('a card whose holder fields no tap carried yet replaces no one; one read on an earlier day does', async () => {
    // Anna's card taps on 04-03 without holder fields: those of its 04-02 tap at this site still name her.
    await storeTaps(db(), [{ site: 'kvartal7', gate: 'w2', at: '2026-04-03T06:00:00Z', card: '300000000026', org: BEMANNING.orgNumber, ...TAP }], 1);
    const l = await dailyList(db(), SITE_W, '2026-04-03');
    expect(l.workers.map((w) => [w.cardNumber, w.source, w.manualId])).toEqual([['300000000026', 'taps', 1], [null, 'manual', 3]]);
    // Bo's employer, a card that left the field before its holder fields were read: Bo stays, listed twice that day.
    await storeTaps(db(), [{ site: 'kvartal7', gate: 'w3', at: '2026-04-03T06:00:00Z', card: '300000000059', org: RENHOLD.orgNumber, ...TAP }], 1);
    expect((await dailyList(db(), SITE_W, '2026-04-03')).workers.map((w) => [w.cardNumber, w.source, w.manualId])).toEqual([['300000000026', 'taps', 1], [null, 'manual', 3], ['300000000059', 'taps', null]]);
  });

  it("ends a range on yesterday (Oslo) at the earliest; the past days' lists stay as they were", async () => {
    const before = await Promise.all(['2026-04-01', '2026-04-02', '2026-04-03'].map((d) => dailyList(db(), SITE_W, d)));
    // 2026-04-04T22:00Z is 00:00 on 04-05 in Oslo (UTC+2): yesterday is 04-04, so 04-03 is refused ...
    expect(await thrown(() => endManualWorker(db(), SITE_W, 3, '2026-04-03', new Date('2026-04-04T22:00:00Z')))).toMatchObject({ code: 'BAD_WORKER', kind: 'data', field: 'to', message: expect.stringContaining('2026-04-03 is in the past') });
    // ... one second earlier it is 23:59:59 on 04-04: yesterday is 04-03.
    expect(await endManualWorker(db(), SITE_W, 3, '2026-04-03', new Date('2026-04-04T21:59:59Z'))).toMatchObject({ id: 3, from: '2026-04-01', to: '2026-04-03' });
    expect(await thrown(() => endManualWorker(db(), SITE_W, 1, '2026-04-20', new Date('2026-04-04T12:00:00Z')))).toMatchObject({ code: 'BAD_WORKER', message: expect.stringContaining('does not extend') });
    expect(await thrown(() => endManualWorker(db(), SITE_W, 1, '2026-03-31', new Date('2026-03-30T12:00:00Z')))).toMatchObject({ code: 'BAD_WORKER', message: expect.stringContaining('before worker 1') });
    expect(await Promise.all(['2026-04-01', '2026-04-02', '2026-04-03'].map((d) => dailyList(db(), SITE_W, d)))).toEqual(before);
    expect((await dailyList(db(), SITE_W, '2026-04-04')).workers.map((w) => w.manualId)).toEqual([1]);
  });

  it("another site's worker, or no worker, is NO_WORKER naming the site, and nothing changes", async () => {
    for (const id of [2, 999]) {
      const msg = `no worker ${id} at site kvartal7`;
      expect(await thrown(() => endManualWorker(db(), SITE_W, id, '2026-04-05', new Date('2026-04-04T12:00:00Z')))).toMatchObject({ code: 'NO_WORKER', kind: 'data', message: expect.stringContaining(msg) });
      expect(await thrown(() => deleteManualWorker(db(), SITE_W, id))).toMatchObject({ code: 'NO_WORKER', message: expect.stringContaining(msg) });
    }
    expect((await listManualWorkers(db(), SITE_B)).map((w) => [w.id, w.to])).toEqual([[2, '2026-04-10']]);
  });

  it('deletes a row added by mistake and returns it; a second delete finds nothing', async () => {
    const { addedAt: _a, ...gone } = await deleteManualWorker(db(), SITE_W, 3);
    expect(gone).toEqual({ id: 3, ...BO, to: '2026-04-03' });
    expect((await listManualWorkers(db(), SITE_W)).map((w) => w.id)).toEqual([1]);
    expect((await dailyList(db(), SITE_W, '2026-04-01')).workers.map((w) => w.manualId)).toEqual([1]);
    expect(await thrown(() => deleteManualWorker(db(), SITE_W, 3))).toMatchObject({ code: 'NO_WORKER' });
  });
}
