/**
 * One store, several sites (issue 18 fix-ups), on one PGlite database for the file: gate ids are
 * unique within a site only, so `south` #1 of site `third` and `south` #1 of `brygga` are two
 * events (store migration 4), each on its own site's daily list. And the HMSREG export finds a
 * holder kept only in the folded list (site_daily_list), as the daily list does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { dailyList } from '../../../../src/fleet/site/dailyList.js';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';
import { SITE_B_JSON } from '../../../helpers/siteDay.js';
import { pendingTaps } from '../../../../src/fleet/site/hmsreg/registration.js';
import { pruneSite } from '../../../../src/fleet/site/prune.js';

let db: SqlDb;
beforeAll(async () => {
  db = await openEventStore('memory://');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

const AT = '2026-03-29T08:00:00.000Z';
const tap = (site: string, card: string) =>
  presenceEvent('south', 1, site, {
    decision: { allow: true, reason: 'ok', uid: '04a1b2c3', at: AT, cardNumber: card, orgNumber: '974760673', category: 'construction', expiry: '2028-12-31', issue: 1 },
  });

describe('one store, two sites with a gate of the same id', () => {
  it('stores gate `south` seq 1 of both sites, and each list shows its own card', async () => {
    const sink = new SqlEventSink(db);
    const r = await sink.store([tap('brygga', '200000000019'), tap('third', '300000000017')]);
    expect(r).toMatchObject({ inserted: 2, duplicates: 0, isNew: [true, true] });
    // Redelivery of either is still a duplicate.
    expect(await sink.store([tap('third', '300000000017')])).toMatchObject({ inserted: 0, duplicates: 1 });
    const gates = await db.query<{ site_id: string; gate_id: string; last_seq: number }>('SELECT site_id, gate_id, last_seq::integer AS last_seq FROM gates ORDER BY site_id');
    expect(gates.rows).toEqual([{ site_id: 'brygga', gate_id: 'south', last_seq: 1 }, { site_id: 'third', gate_id: 'south', last_seq: 1 }]);
    const cards = async (siteId: string) => (await dailyList(db, parseSiteConfig(JSON.stringify({ ...SITE_B_JSON, siteId })), '2026-03-29')).workers.map((w) => w.cardNumber);
    expect(await cards('brygga')).toEqual(['200000000019']);
    expect(await cards('third')).toEqual(['300000000017']);
  });
});

describe('HMSREG export: holder fields from the folded list', () => {
  it('names the holder when only site_daily_list has them (raw events with them pruned)', async () => {
    const sink = new SqlEventSink(db);
    await sink.store([presenceEvent('gate1', 1, 'fold', { decision: { ...tap('fold', '400000000015').decision, at: '2026-04-02T08:00:00.000Z' } })]);
    await db.query(`INSERT INTO site_daily_list (site_id, day, card_number, holder_name, birth_date, org_name, org_number, category, first_at, last_at, taps)
      VALUES ('fold', '2026-03-01', '400000000015', 'Kari Nordmann', '1985-02-14', 'Bygg og Betong AS', '974760673', 'construction', '2026-03-01T07:00Z', '2026-03-01T15:00Z', 2)`);
    const [p] = await pendingTaps(db, 'fold', 10);
    expect(p).toMatchObject({ gate_id: 'gate1', card_number: '400000000015', holder_name: 'Kari Nordmann', birth_date: '1985-02-14' });
  });
});

describe('prune: ingest errors go by the raw-event retention', () => {
  it('deletes ingest errors older than rawEventRetentionDays and keeps the newer', async () => {
    await db.query(`INSERT INTO ingest_errors (code, error, raw, at) VALUES
      ('MALFORMED_EVENT', 'old', '{"holder":{"name":"Kari Nordmann"}}', '2026-03-01T00:00Z'),
      ('MALFORMED_EVENT', 'new', '{}', '2026-04-25T00:00Z')`);
    // brygga keeps raw events 10 days: the cutoff is 2026-04-21.
    const r = await pruneSite(db, parseSiteConfig(JSON.stringify(SITE_B_JSON)), new Date('2026-05-01T00:00:00Z'));
    expect(r.ingestErrorsDeleted).toBe(1);
    expect((await db.query<{ error: string }>('SELECT error FROM ingest_errors')).rows).toEqual([{ error: 'new' }]);
  });
});
