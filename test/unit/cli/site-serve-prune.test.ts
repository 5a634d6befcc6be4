/**
 * `site serve --prune-daily` (issue 18 part 4 on one machine): while the page holds a PGlite
 * directory no other process can prune it, so the page's process applies site prune's retention
 * itself, at start and every 24 h. Property: the raw events past rawEventRetentionDays are gone
 * and the day's list (site list, text) reads the same before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeContext, runMain } from '../../helpers/cli.js';
import { FIXTURE_TAPS, SITE_A, SITE_A_JSON, storeTaps } from '../../helpers/siteDay.js';
import { eventually } from '../../helpers/fleet.js';
import { main } from '../../../src/cli/main.js';
import { openEventStore } from '../../../src/fleet/store/open.js';
import { keepPruning } from '../../../src/fleet/site/keepPruning.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hms-serve-prune-'));
  // Building work ending far ahead: whatever day the test runs, the list is kept and only the raw
  // retention applies (the fixture's taps, of March 2026, are past 30 days from then on).
  await writeFile(join(dir, 'site.json'), JSON.stringify({ ...SITE_A_JSON, buildingWorkEnd: '2099-12-31' }));
  await writeFile(join(dir, 'token'), 'office-token-5f3a9c0e2b7d41a8\n');
  const db = await openEventStore(join(dir, 'site-db'));
  try {
    await storeTaps(db, FIXTURE_TAPS);
  } finally {
    await db.close();
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const countEvents = async (): Promise<number> => {
  const db = await openEventStore(join(dir, 'site-db'));
  try {
    return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE site_id = 'kvartal7'")).rows[0].n;
  } finally {
    await db.close();
  }
};

describe('site serve --prune-daily', () => {
  it('prunes at start on the store it serves: old raw events gone, the list unchanged', { timeout: 120_000 }, async () => {
    const list = ['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--db', 'site-db', '--config', 'site.json'];
    const before = await runMain(dir, list);
    expect(before.status).toBe(0);
    expect(await countEvents()).toBe(FIXTURE_TAPS.filter((t) => t.site === 'kvartal7').length);

    const ac = new AbortController();
    const ctx = fakeContext({ cwd: dir, signal: ac.signal });
    const status = main(['site', 'serve', '--db', 'site-db', '--config', 'site.json', '--port', '0', '--token-file', 'token', '--prune-daily'], ctx);
    await eventually(`the prune line (stderr: ${ctx.err()})`, () => /prune: raw events before/.test(ctx.err()), 90_000);
    ac.abort();
    expect(await status).toBe(0);
    expect(ctx.out()).toContain('pruning daily');
    expect(ctx.err()).toMatch(/^hmskort site serve: prune: raw events before \S+: [1-9]\d* deleted, folded into [1-9]\d* list row\(s\)/m);
    expect(await countEvents()).toBe(0);
    const after = await runMain(dir, list);
    expect(after.status).toBe(0);
    expect(after.out).toBe(before.out);
  });
});

describe('keepPruning', () => {
  it('a failed prune is reported with its retry and the loop goes on; the abort ends it', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    let calls = 0;
    // A store whose every query fails (what a database gone away gives).
    const db = { driver: 'pglite', query: async () => { calls++; throw new Error('connection lost'); }, transaction: async () => { calls++; throw new Error('connection lost'); }, close: async () => {} } as never;
    const done = keepPruning({ db, cfg: SITE_A, signal: ac.signal, retryMs: 5, onResult: () => seen.push('result'), onError: (e, ms) => seen.push(`${e.message} ${ms}`) });
    await eventually('three tries', () => seen.length >= 3, 5_000, 5);
    ac.abort();
    await done;
    expect(seen.slice(0, 3)).toEqual(['connection lost 5', 'connection lost 5', 'connection lost 5']);
    expect(calls).toBeGreaterThanOrEqual(3);
  });
});
