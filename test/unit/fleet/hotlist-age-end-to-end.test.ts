/**
 * The gate's hot-list age, end to end (issue 18 part 5): a Gate following a MemoryHotlistFeed on a
 * controlled clock decides a tap 5 s after the last delta; its event goes through the gate's outbox
 * (real files) into the store (PGlite) and the site page's /gates body. The expected figures come
 * from the test's own clock arithmetic (delta at T1, tap at T1 + 5 s, page asked at the tap + 3 s),
 * not from the code under test. A gate without a feed stores NULL and the page says "no feed".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gate } from '../../../src/gate/gate.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { HotlistFollower } from '../../../src/fleet/follower.js';
import { MemoryHotlistFeed } from '../../../src/fleet/memoryFeed.js';
import { EventOutbox } from '../../../src/fleet/outbox.js';
import { SqlEventSink } from '../../../src/fleet/store/sqlEventSink.js';
import { openEventStore } from '../../../src/fleet/store/open.js';
import { presenceEventOf, type EventRow } from '../../../src/fleet/store/eventShape.js';
import { parseSiteConfig } from '../../../src/fleet/site/config.js';
import { startSiteServer } from '../../../src/fleet/site/serve/server.js';
import type { SqlDb } from '../../../src/fleet/store/db.js';
import { READ_MASTER } from '../../helpers/gateCards.js';
import { cardOf } from '../../helpers/fleet.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';

const T0 = Date.UTC(2027, 0, 4, 7, 0, 0);
const T1 = T0 + 600_000; // the delta, ten minutes after the snapshot
const TAP = T1 + 5_000;
const FUTURE = '2099-12-31';
const TOKEN = 'tok-age-0123456789abcdef';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function outboxInto(db: SqlDb, gateId: string, gate: Gate): Promise<EventOutbox> {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-age-'));
  const box = await EventOutbox.open({ dir, gateId, site: 'kvartal7', sink: new SqlEventSink(db), sync: false, retryMinMs: 1, retryMaxMs: 5 });
  box.attach(gate);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => box.close());
  return box;
}

describe('hot-list age: follower clock -> gate event -> outbox -> store -> site page', () => {
  it('a delta at T1, a tap at T1 + 5 s: 5000 ms on the event, the row, the gate; the page shows 5 s and at most 8 s three seconds later; no feed is NULL and "no feed"', async () => {
    let now = T0;
    const clock = () => now;
    const db = await openEventStore('memory://');
    cleanups.push(() => db.close());

    const feed = new MemoryHotlistFeed({ entries: [{ cardNumber: '1', status: 'lost', expiry: FUTURE }] });
    const gate = new Gate({ readMaster: READ_MASTER, clock });
    const follower = new HotlistFollower({ feed, gate, clock, retryMinMs: 1, retryMaxMs: 2 });
    follower.on('error', () => {});
    cleanups.push(() => follower.stop());
    await follower.start().ready(2000);
    const east = await outboxInto(db, 'east', gate);

    now = T1;
    const rev = feed.put({ cardNumber: '9', status: 'lost', expiry: FUTURE });
    now = TAP;
    const event = await gate.tap(cardOf(2));
    expect(event).toMatchObject({ allow: true, hotlistRevision: rev, hotlistAgeMs: 5000, at: new Date(TAP).toISOString() });
    expect(follower.ageMs()).toBe(5000);

    // A second gate, no feed (a list from a file, or none): no revision, no age.
    const plain = new Gate({ readMaster: READ_MASTER, clock });
    const west = await outboxInto(db, 'west', plain);
    const bare = await plain.tap(cardOf(3));
    expect('hotlistAgeMs' in bare).toBe(false);

    await east.drained(5000);
    await west.drained(5000);
    const { rows } = await db.query<EventRow & { hotlist_age_ms: number | null }>('SELECT * FROM events ORDER BY gate_id');
    expect(rows.map((r) => [r.gate_id, r.hotlist_age_ms === null ? null : Number(r.hotlist_age_ms)])).toEqual([
      ['east', 5000],
      ['west', null],
    ]);
    expect(presenceEventOf(rows[0])).toMatchObject({ gateId: 'east', hotlistRevision: rev, hotlistAgeMs: 5000 });
    expect('hotlistAgeMs' in presenceEventOf(rows[1])).toBe(false);
    const gates = await db.query<{ gate_id: string; hotlist_age_ms: number | null }>('SELECT gate_id, hotlist_age_ms FROM gates ORDER BY gate_id');
    expect(gates.rows.map((g) => [g.gate_id, g.hotlist_age_ms === null ? null : Number(g.hotlist_age_ms)])).toEqual([
      ['east', 5000],
      ['west', null],
    ]);

    const srv = await startSiteServer({ db, cfg: parseSiteConfig(JSON.stringify(SITE_A_JSON)), token: TOKEN, host: '127.0.0.1', port: 0, now: () => TAP + 3000 });
    cleanups.push(() => srv.close());
    const body = await (await fetch(new URL('/gates', srv.url), { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const cells = (gateId: string) => [...(new RegExp(`<tr data-gate="${gateId}">(.*?)</tr>`).exec(body)?.[1] ?? '').matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    // Oslo is UTC+1 in January.
    expect(cells('east')).toEqual(['east', String(rev), '5 s', '≤ 8 s', '2027-01-04T08:10:05+01:00']);
    expect(body).toContain('data-sort="5000"');
    expect(body).toContain('data-sort="8000"');
    expect(cells('west')).toEqual(['west', 'no feed', 'no feed', 'no feed', '2027-01-04T08:10:05+01:00']);

    // A blank card 2 s later at the following gate: invalid, yet the gate still says which list it
    // had and how old (7 s), so the page keeps its revision and age instead of "no feed".
    now = TAP + 2_000;
    const blank = await gate.tap(new VirtualMifareClassic1K('04a1b2ff'));
    expect(blank).toMatchObject({ allow: false, reason: 'invalid', hotlistRevision: rev, hotlistAgeMs: 7000 });
    expect('hotlistAgeMs' in (await plain.tap(new VirtualMifareClassic1K('04a1b2fe')))).toBe(false);
    await east.drained(5000);
    const after = await (await fetch(new URL('/gates', srv.url), { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const row = /<tr data-gate="east">(.*?)<\/tr>/.exec(after)?.[1] ?? '';
    expect([...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1])).toEqual(['east', String(rev), '7 s', '≤ 8 s', '2027-01-04T08:10:07+01:00']);
  });

  it('the age is the gate\'s clock at the decision minus the list\'s last news, also while no news comes', async () => {
    let now = T0;
    const clock = () => now;
    const feed = new MemoryHotlistFeed({ entries: [] });
    const gate = new Gate({ readMaster: READ_MASTER, clock, policy: { maxHotlistAgeHours: 1, staleHotlist: 'allow-flagged' } });
    const follower = new HotlistFollower({ feed, gate, clock, retryMinMs: 1, retryMaxMs: 2 });
    follower.on('error', () => {});
    cleanups.push(() => follower.stop());
    await follower.start().ready(2000);
    now = T0 + 3_600_001; // just past the policy's hour: the same age decides staleness and is reported
    expect(await gate.tap(cardOf(2))).toMatchObject({ staleHotlist: true, hotlistAgeMs: 3_600_001 });
    feed.heartbeat();
    now += 250;
    const fresh = await gate.tap(cardOf(2));
    expect(fresh).toMatchObject({ hotlistAgeMs: 250 });
    expect(fresh.staleHotlist).toBeUndefined();
  });

  it('a source whose instant is ahead of the gate\'s clock gives 0, a fraction of a ms is rounded: the stores take whole ms only', async () => {
    const gate = new Gate({ readMaster: READ_MASTER, clock: () => T0 });
    const lookup = { minIssueOf: () => 0 };
    gate.setHotlist(lookup, { revision: 3, updatedAtMs: T0 + 1000 });
    expect(await gate.tap(cardOf(2))).toMatchObject({ hotlistRevision: 3, hotlistAgeMs: 0 });
    gate.setHotlist(lookup, { revision: 4, updatedAtMs: T0 - 1234.6 });
    expect(await gate.tap(cardOf(2))).toMatchObject({ hotlistRevision: 4, hotlistAgeMs: 1235 });
  });
});
