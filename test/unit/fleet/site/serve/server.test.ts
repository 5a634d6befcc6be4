/**
 * The site page's handlers (issue 18 part 5) on node:http, port 0, asked with fetch, over PGlite
 * (one in-memory database for this file) holding the fixture day of test/helpers/siteDay.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { openEventStore } from '../../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../../src/fleet/store/db.js';
import { dailyList } from '../../../../../src/fleet/site/dailyList.js';
import { listCsv } from '../../../../../src/fleet/site/format.js';
import { parseSiteConfig } from '../../../../../src/fleet/site/config.js';
import { startSiteServer, type RunningSiteServer } from '../../../../../src/fleet/site/serve/server.js';
import { EXPECTED_A_0329, FIXTURE_TAPS, SITE_A_JSON, BYGG, storeTaps } from '../../../../helpers/siteDay.js';

const TOKEN = 'tok-0123456789abcdef';
const DAY = '2026-03-29';
const EVIL = `<script>alert("x")</script> & 'o'`;
let db: SqlDb;
let srv: RunningSiteServer;
// The configured site name is markup too: it must come out as text.
const CFG = parseSiteConfig(JSON.stringify({ ...SITE_A_JSON, name: 'Kvartal <b>7</b>' }));
// The fixture's worker added by hand is not stored here: the tapped ones only.
const TAPPED = EXPECTED_A_0329.filter((w) => w.source === 'taps');
const errors: Error[] = [];
const auth = { authorization: `Bearer ${TOKEN}` };
const get = (path: string, headers: Record<string, string> = auth) => fetch(new URL(path, srv.url), { headers, redirect: 'manual' });

// The server's clock is the day after DAY: every route must honour ?date=.
beforeAll(async () => {
  db = await openEventStore('memory://');
  await storeTaps(db, FIXTURE_TAPS);
  srv = await startSiteServer({ db, cfg: CFG, token: TOKEN, host: '127.0.0.1', port: 0, pollMs: 100, onError: (e) => errors.push(e), now: () => Date.parse('2026-03-30T12:00:00Z') });
}, 120_000);
afterAll(async () => {
  await srv?.close();
  await db?.close();
});

describe('site serve: the token', () => {
  it.each(['/', `/list.csv?date=${DAY}`, '/events', '/app.js', '/list', '/gates', '/nowhere'])('401 on %s without a token, with a wrong bearer, a wrong cookie', async (path) => {
    for (const headers of <Record<string, string>[]>[{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, { cookie: `hmskort_site=${TOKEN}0` }, { cookie: 'hmskort_site=%E0%A4%A' }, { authorization: TOKEN }]) {
      const r = await get(path, headers);
      expect(r.status, JSON.stringify(headers)).toBe(401);
      const body = await r.text();
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain('Kvartal');
    }
  });

  it('?token= with the right token sets an HttpOnly SameSite=Strict cookie and redirects without it; the cookie then opens the page', async () => {
    const bad = await get(`/?date=${DAY}&token=nope`, {});
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const r = await get(`/?date=${DAY}&token=${TOKEN}`, {});
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe(`/?date=${DAY}`);
    const cookie = r.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get(`/?date=${DAY}`, { cookie: cookie.split(';')[0] });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Kari Nordmann');
  });

  it('is read-only: POST is 405', async () => {
    const r = await fetch(srv.url, { method: 'POST', headers: auth });
    expect(r.status).toBe(405);
  });
});

describe('site serve: content', () => {
  it('the CSV is exactly listCsv of the day, and holds the fixture day\'s cards', async () => {
    const r = await get(`/list.csv?date=${DAY}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const body = await r.text();
    expect(body).toBe(listCsv(await dailyList(db, CFG, DAY)));
    const rows = parse(body, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.hms_card_number)).toEqual(TAPPED.map((w) => w.cardNumber));
  });

  it('the page shows the fixture day\'s list, the gates with revision 7 and their last tap', async () => {
    const html = await (await get(`/?date=${DAY}`)).text();
    expect([...html.matchAll(/<tr data-card="(\d+)">/g)].map((m) => m[1])).toEqual(TAPPED.map((w) => w.cardNumber));
    expect(html).toContain('Ola Hansen');
    // The fixture's events carry revision 7 and no hot-list age (a gate before store migration 5).
    expect(html).toContain(
      '<tr data-gate="kvartal7-south"><td>kvartal7-south</td><td>7</td><td>not reported</td><td>not reported</td><td data-sort="2026-03-29T09:00:00.000Z">2026-03-29T11:00:00+02:00</td></tr>',
    );
    expect(html).not.toContain('brygga-main');
    expect(html).not.toContain('Bjørn');
  });

  it('the gates\' list age: at the last tap, and that plus the time since (rounded up: a bound); no feed says so', async () => {
    // The server's clock is 2026-03-30T12:00:00Z: tower's last tap 100 s before, shed's 2 h before.
    await storeTaps(db, [
      { site: 'kvartal7', gate: 'tower', at: '2026-03-30T11:58:20Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction', hotlistRevision: 41, hotlistAgeMs: 90_000 },
      { site: 'kvartal7', gate: 'shed', at: '2026-03-30T10:00:00Z', card: '100000000011', org: BYGG.orgNumber, category: 'construction', hotlistRevision: 0 },
    ]);
    const body = await (await get('/gates')).text();
    // 90 s + 100 s = 190 s = 3.17 min: at most 4 min (3 min would understate the bound).
    expect(body).toContain('<tr data-gate="kvartal7-tower"><td>kvartal7-tower</td><td>41</td><td data-sort="90000">90 s</td><td data-sort="190000">≤ 4 min</td>');
    expect(body).toContain('<tr data-gate="kvartal7-shed"><td>kvartal7-shed</td><td>no feed</td><td>no feed</td><td>no feed</td>');
    const page = await (await get(`/?date=${DAY}`)).text();
    expect(page).toContain('<th>List age at last tap</th>');
    expect(page).toMatch(/<th title="[^"]+">List age now \(at most\)<\/th>/);
    expect(page).toContain('<table id="gates" data-refresh-ms="2000">');
  });

  it('escapes what it inserts: a holder name and a site name holding markup are text', async () => {
    await storeTaps(db, [{ site: 'kvartal7', gate: 'west', at: '2026-03-29T12:00:00Z', card: '100000000078', org: BYGG.orgNumber, category: 'construction', holder: { name: EVIL, birthDate: '1980-01-01', orgName: BYGG.name } }], 1);
    const html = await (await get(`/?date=${DAY}`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>7</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;o&#39;');
    expect(html).toContain('Kvartal &lt;b&gt;7&lt;/b&gt;');
    const rows = await (await get(`/list?date=${DAY}`)).text();
    expect(rows).toContain('&lt;script&gt;');
    expect(rows).not.toContain('<script');
    // The only script is the static file: no inline script runs (and the CSP forbids it).
    expect(html.match(/<script/g)).toEqual(['<script']);
    expect((await get('/')).headers.get('content-security-policy')).toMatch(/default-src 'self'/);
  });

  it('a bad date is 400, not a crash', async () => {
    expect((await get('/?date=2026-02-30')).status).toBe(400);
    expect((await get('/')).status).toBe(200);
  });
});

describe('site serve: server-sent events', () => {
  it('delivers a decision inserted after the stream opened, once, and not other sites\'', async () => {
    const ac = new AbortController();
    const r = await fetch(new URL('/events', srv.url), { headers: auth, signal: ac.signal });
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (r.body as ReadableStream<Uint8Array>).getReader();
    const dec = new TextDecoder();
    let text = '';
    const readUntil = async (pred: () => boolean, ms: number) => {
      const t = setTimeout(() => ac.abort(), ms);
      try {
        while (!pred()) {
          const { value, done } = await reader.read();
          if (done) break;
          text += dec.decode(value, { stream: true });
        }
      } finally {
        clearTimeout(t);
      }
    };
    await readUntil(() => text.includes(': poll'), 5000);
    expect(text).not.toContain('event: decision');
    await storeTaps(db, [
      { site: 'brygga', gate: 'main', at: '2026-03-29T12:01:00Z', card: '200000000027', org: BYGG.orgNumber, category: 'construction' },
      { site: 'kvartal7', gate: 'west', at: '2026-03-29T12:02:00Z', card: '100000000086', org: BYGG.orgNumber, category: 'construction', allow: false },
    ], 50);
    await readUntil(() => text.includes('100000000086'), 5000);
    await readUntil(() => (text.match(/: poll/g) ?? []).length >= 4, 5000);
    ac.abort();
    const events = text.split('\n\n').filter((b) => b.startsWith('event: decision')).map((b) => JSON.parse(b.split('\ndata: ')[1]));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ gateId: 'kvartal7-west', seq: 50, allow: false, cardNumber: '100000000086', at: '2026-03-29T12:02:00.000Z' });
    expect(events[0].text).toContain('refused');
    expect(errors).toEqual([]);
  }, 20_000);
});
