/**
 * `hmskort site add-worker | list | prune` end to end: the built CLI (`node bin/hmskort.js`, built
 * by `npx tsc -p tsconfig.build.json`) against a real PostgreSQL 15 holding the fixture day
 * (test/helpers/siteDay.ts). The --db URL carries a password (with an '@' in it); no line of any
 * output, success or failure, may contain it (issue 18 part 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { BIN, BUILT, ROOT } from '../../helpers/batchCli.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../helpers/postgres.js';
import { EXPECTED_A_0329, FIXTURE_TAPS, NILS, SITE_A_JSON, SITE_B_JSON, storeTaps } from '../../helpers/siteDay.js';
import { openEventStore } from '../../../src/fleet/store/open.js';

const missing = postgresMissing() ?? (BUILT ? undefined : 'needs the built CLI (npx tsc -p tsconfig.build.json)');
const SECRET = 's3cr@t-Pw';
let pg: PostgresHandle | undefined;
let url = '';
let dir = '';
const outputs: string[] = [];

function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: 60_000, killSignal: 'SIGKILL' }, (e, out, err) => {
      outputs.push(out, err);
      resolve({ code: e ? ((e as { code?: unknown }).code as number) ?? -1 : 0, out, err });
    });
  });
}

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  const plain = await pg.createDatabase('site_cli');
  // Trust authentication: the server never asks for the password, so any password connects.
  url = plain.replace('postgres://hms@', `postgres://hms:${SECRET}@`);
  const db = await openEventStore(url);
  try {
    await storeTaps(db, FIXTURE_TAPS);
  } finally {
    await db.close();
  }
  dir = await mkdtemp(join(tmpdir(), 'hms-site-cli-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON, null, 2));
  await writeFile(join(dir, 'brygga.json'), JSON.stringify(SITE_B_JSON, null, 2));
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe.skipIf(missing)('hmskort site list (built CLI, PostgreSQL 15)', () => {
  const cfg = () => ['--db', url, '--config', join(dir, 'site.json')];

  it('add-worker, then list --csv --out and --json give the hand-written rows', async () => {
    const add = await cli(['site', 'add-worker', '--site', 'kvartal7', '--name', NILS.name, '--birth-date', NILS.birthDate, '--org-number', NILS.employer.orgNumber, '--org-name', NILS.employer.name, '--from', NILS.from, '--to', NILS.to, ...cfg()]);
    expect(add).toMatchObject({ code: 0, out: expect.stringMatching(/^added worker 1 to kvartal7 for 2026-03-27\.\.2026-03-29/) });
    const csvFile = join(dir, 'list.csv');
    const csv = await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--csv', '--out', csvFile, ...cfg()]);
    expect(csv.code).toBe(0);
    expect(csv.err).toContain('5 worker(s) on kvartal7 2026-03-29, from postgres://hms:***@127.0.0.1:');
    const records = parse(await readFile(csvFile, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.hms_card_number, r.name, r.employer_org_number, r.hiring_company_org_number, r.taps])).toEqual(
      EXPECTED_A_0329.map((w) => [w.cardNumber ?? '', w.name ?? '', w.employer.orgNumber, w.hiringCompany?.orgNumber ?? '', String(w.taps)]),
    );
    expect(records[0]).toMatchObject({ site_name: 'Kvartal 7', site_address: 'Storgata 7, 0155 Oslo', byggherre_org_number: '971524960', first_tap: '2026-03-29T00:00:00+01:00' });
    const json = await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--json', ...cfg()]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out).workers.map(({ firstTapOslo: _f, lastTapOslo: _l, ...w }: Record<string, unknown>) => w)).toEqual(EXPECTED_A_0329);
  }, 90_000);

  it('prune --now folds and deletes raw events; the list reads the same after', async () => {
    const before = await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--json', ...cfg()]);
    const pruned = await cli(['site', 'prune', '--now', '2026-05-01T00:00:00Z', '--json', ...cfg()]);
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.out)).toMatchObject({ eventsDeleted: FIXTURE_TAPS.filter((t) => t.site === 'kvartal7').length, listExpired: false });
    const after = await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--json', ...cfg()]);
    expect(after.out).toBe(before.out);
  }, 90_000);

  it('refuses another site than the config file (exit 3), bad dates (3), both --csv and --json (2), no server (4)', async () => {
    expect(await cli(['site', 'list', '--site', 'brygga', '--date', '2026-03-29', ...cfg()])).toMatchObject({ code: 3, err: expect.stringContaining('--site brygga is not the site of') });
    expect(await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-02-30', ...cfg()])).toMatchObject({ code: 3, err: expect.stringContaining('--date: expected a date YYYY-MM-DD') });
    expect((await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--csv', '--json', ...cfg()])).code).toBe(2);
    const down = await cli(['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--db', `postgres://hms:${SECRET}@127.0.0.1:1/x`, '--config', join(dir, 'site.json'), '--verbose']);
    expect(down.code).toBe(4);
    expect(down.err).toContain('postgres://hms:***@127.0.0.1:1/x');
  }, 90_000);

  it('prune without buildingWorkEnd prunes raw events, then says the list is kept forever and exits 1', async () => {
    const r = await cli(['site', 'prune', '--now', '2026-05-01T00:00:00Z', '--db', url, '--config', join(dir, 'brygga.json')]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^raw events before 2026-04-21T00:00:00.000Z: 2 deleted/);
    expect(r.err).toContain('has no buildingWorkEnd: the daily list is kept forever');
  }, 90_000);

  it('no output of any run above holds the password', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const o of outputs) {
      expect(o).not.toContain(SECRET);
      // Any part of it: a mask that stops at the first '@' would leave "t-Pw".
      for (const part of SECRET.split('@')) expect(o).not.toContain(part);
    }
  });
});
