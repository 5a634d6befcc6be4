/**
 * `hmskort site serve` end to end (issue 18 part 5): the built CLI serves the page from a real
 * PostgreSQL 15 holding the fixture day (test/helpers/siteDay.ts); headless Chromium, driven over
 * the DevTools pipe (test/helpers/cdp.ts), opens it with ?token= once, and the test checks what a
 * person in the site office sees: the fixture day's taps in the list, a tap inserted afterwards
 * appearing without a reload, search and sort, a name holding markup shown as text, and the CSV
 * download byte for byte equal to `hmskort site list --csv` of the same day (the built CLI too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, BUILT, ROOT } from '../../../helpers/batchCli.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../../helpers/postgres.js';
import { BYGG, EXPECTED_A_0329, FIXTURE_TAPS, SITE_A_JSON, storeTaps } from '../../../helpers/siteDay.js';
import { launchChromium, type Browser, type Page } from '../../../helpers/cdp.js';
import { findChromium } from '../../../../src/barcode/chromium.js';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';

const missing = postgresMissing() ?? (BUILT ? undefined : 'needs the built CLI (npx tsc -p tsconfig.build.json)') ?? ((await findChromium()) ? undefined : 'needs chromium');
const TOKEN = 'office-token-5f3a9c0e2b7d41a8';
const SECRET = 'pw@site-9';
const DAY = '2026-03-29';
const EVIL = '<img src=x id=pwned onerror="document.title=1">';
let pg: PostgresHandle | undefined;
let db: SqlDb | undefined;
let dir = '';
let url = '';
let base = '';
let serve: ChildProcess | undefined;
let out = '';
let browser: Browser | undefined;
let page: Page;

/** Polls `fn` in the page until it returns a truthy value; fails after `ms`. */
async function until<T>(what: string, fn: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await page.evaluate<T>(fn).catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cards = `[...document.querySelectorAll('#list tbody tr')].filter((r) => !r.hidden).map((r) => r.dataset.card)`;

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  url = (await pg.createDatabase('site_serve')).replace('postgres://hms@', `postgres://hms:${SECRET}@`);
  db = await openEventStore(url);
  await storeTaps(db, FIXTURE_TAPS);
  dir = await mkdtemp(join(tmpdir(), 'hms-site-serve-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON));
  await writeFile(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  serve = spawn(process.execPath, [BIN, 'site', 'serve', '--db', url, '--config', join(dir, 'site.json'), '--port', '0', '--token-file', join(dir, 'token')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  serve.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  serve.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const end = Date.now() + 30_000;
  while (!/http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
    if (Date.now() > end || serve.exitCode !== null) throw new Error(`site serve did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  base = (/http:\/\/127\.0\.0\.1:\d+\//.exec(out) as RegExpExecArray)[0];
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve && serve.exitCode === null) {
    const gone = new Promise((r) => serve?.once('exit', r));
    serve.kill('SIGKILL');
    await gone;
  }
  await db?.close();
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe.skipIf(missing)('hmskort site serve in headless Chromium (built CLI, PostgreSQL 15)', () => {
  it('without the token the browser gets 401; ?token= once opens the page with the fixture day\'s taps', async () => {
    await page.navigate(`${base}?date=${DAY}`);
    expect(await until<string>('the 401 text', `document.body && document.body.innerText`)).toMatch(/token is needed/);
    await page.navigate(`${base}?date=${DAY}&token=${TOKEN}`);
    await until('the list', `document.querySelector('#list tbody tr') !== null`);
    expect(await page.evaluate('location.search')).toBe(`?date=${DAY}`);
    expect(await page.evaluate(cards)).toEqual(EXPECTED_A_0329.filter((w) => w.source === 'taps').map((w) => w.cardNumber));
    expect(await page.evaluate(`document.querySelector('#list tbody').innerText`)).toContain('Kari Nordmann');
    // The cookie is HttpOnly: the page's script cannot read the token.
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate(`[...document.querySelectorAll('#gates tbody tr td:first-child')].map((td) => td.textContent)`)).toEqual(['kvartal7-east', 'kvartal7-north', 'kvartal7-south']);
  });

  it('search and sort work on the rows', async () => {
    await page.evaluate(`(() => { const s = document.getElementById('search'); s.value = 'hansen'; s.dispatchEvent(new Event('input')); })()`);
    expect(await page.evaluate(cards)).toEqual(['100000000029']);
    await page.evaluate(`(() => { const s = document.getElementById('search'); s.value = ''; s.dispatchEvent(new Event('input')); document.querySelector('th[data-col="7"]').click(); })()`);
    // By first tap: Kari 23:00Z (the day before, UTC), Ola 05:00Z, Siv 07:00Z, ...052 09:00Z.
    expect(await page.evaluate(cards)).toEqual(['100000000011', '100000000029', '100000000037', '100000000052']);
    await page.evaluate(`document.querySelector('th[data-col="7"]').click()`);
    expect(await page.evaluate(cards)).toEqual(['100000000052', '100000000037', '100000000029', '100000000011']);
  });

  it('a tap inserted now appears in the list and the decisions without a reload; markup in its name stays text', async () => {
    await page.evaluate(`window.__sameDocument = true`);
    await storeTaps(db as SqlDb, [{ site: 'kvartal7', gate: 'west', at: '2026-03-29T12:00:00Z', card: '100000000094', org: BYGG.orgNumber, category: 'construction', holder: { name: EVIL, birthDate: '1980-01-01', orgName: BYGG.name } }]);
    const t0 = Date.now();
    await until('the new row', `${cards}.includes('100000000094')`);
    const ms = Date.now() - t0;
    expect(ms).toBeLessThan(5000);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    expect(await page.evaluate(`document.getElementById('decisions').firstElementChild.textContent`)).toContain('kvartal7-west allowed (ok) 100000000094 <img');
    expect(await page.evaluate(`document.querySelector('tr[data-card="100000000094"] td').textContent`)).toBe(EVIL);
    expect(await page.evaluate(`[document.getElementById('pwned'), document.querySelectorAll('img').length, document.title]`)).toEqual([null, 0, expect.stringContaining('Kvartal 7')]);
  });

  it('the gates show the list age at the last tap and an upper bound of it now that counts on without a reload', async () => {
    // The fixture's events carry no age (a gate before store migration 5).
    expect(await page.evaluate(`[...document.querySelectorAll('#gates tr[data-gate="kvartal7-south"] td')].map((td) => td.textContent)`)).toEqual(['kvartal7-south', '7', 'not reported', 'not reported', '2026-03-29T11:00:00+02:00']);
    // A tap now, on a list 5 s old: the row comes with the decision; the bound grows as time passes.
    await storeTaps(db as SqlDb, [{ site: 'kvartal7', gate: 'tower', at: new Date().toISOString(), card: '100000000011', org: BYGG.orgNumber, category: 'construction', hotlistRevision: 12, hotlistAgeMs: 5000 }]);
    const cells = `[...document.querySelectorAll('#gates tr[data-gate="kvartal7-tower"] td')].map((td) => td.textContent)`;
    const first = await until<string[]>('the tower gate', `(() => { const c = ${cells}; return c.length ? c : null; })()`);
    expect(first.slice(0, 3)).toEqual(['kvartal7-tower', '12', '5 s']);
    const bound = (c: string[]) => Number(/^≤ (\d+) s$/.exec(c[3])?.[1]);
    expect(bound(first)).toBeGreaterThanOrEqual(5);
    // The page fetches the gates' body every 2 s (data-refresh-ms): the bound moves on by itself.
    await until('the bound to count on', `(() => { const c = ${cells}; const m = /^≤ (\\d+) s$/.exec(c[3] || ''); return m && Number(m[1]) >= ${bound(first) + 2}; })()`, 6000);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
  });

  it('the CSV download is byte for byte `hmskort site list --csv` of the day', async () => {
    const href = await page.evaluate<string>(`document.getElementById('csv').href`);
    expect(href).toBe(`${base}list.csv?date=${DAY}`);
    const downloaded = await page.evaluate<string>(`fetch(document.getElementById('csv').href).then((r) => r.text())`);
    const cli = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [BIN, 'site', 'list', '--csv', '--site', 'kvartal7', '--date', DAY, '--db', url, '--config', join(dir, 'site.json')], { cwd: ROOT, timeout: 60_000 }, (e, stdout) => (e ? reject(e) : resolve(stdout))),
    );
    expect(downloaded).toBe(cli);
    expect(cli.split('\r\n').filter(Boolean)).toHaveLength(1 + 5);
  });

  it("without ?date the page is today's list (the Oslo day of the server's clock), and its CSV link says so", async () => {
    // Oslo's day from Intl (the platform's tz data), not from our osloCalendar.ts.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    await storeTaps(db as SqlDb, [{ site: 'kvartal7', gate: 'porten', at: new Date().toISOString(), card: '100000000102', org: BYGG.orgNumber, category: 'construction', holder: { name: 'Dagny Idag', birthDate: '1995-06-01', orgName: BYGG.name } }]);
    await page.navigate(base);
    await until('the list of today', `${cards}.includes('100000000102')`);
    expect(await page.evaluate(`document.querySelector('tr[data-card="100000000102"] td').textContent`)).toBe('Dagny Idag');
    // None of the fixture day's taps: they are of another day.
    expect(await page.evaluate(cards)).not.toContain('100000000029');
    expect(await page.evaluate<string>(`document.getElementById('csv').href`)).toBe(`${base}list.csv?date=${today}`);
  });

  it('Ctrl-C stops the server with status 0; its output never held the token or the password', async () => {
    const code = await new Promise<number | null>((resolve) => {
      serve?.once('exit', (c) => resolve(c));
      serve?.kill('SIGINT');
    });
    expect(code).toBe(0);
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(SECRET);
    expect(out).toMatch(/^hmskort site serve: http:\/\/127\.0\.0\.1:\d+\/ \(site kvartal7/);
  });
});
