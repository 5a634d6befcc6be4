/**
 * `hmskort site workers | remove-worker` through the CLI's main() in this process (test/helpers/cli.ts
 * runMain: the real option parsing, exit status mapping and output), against a real PostgreSQL 15
 * (test/helpers/postgres.ts). Two sites in one store: each command sees the rows of its --config
 * site only. Expected output written by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runMain } from '../../helpers/cli.js';
import { postgresStore } from '../../helpers/siteStores.js';
import { BEMANNING, BYGG, NILS, SITE_A_JSON, SITE_B_JSON } from '../../helpers/siteDay.js';

const store = postgresStore('site_workers_cli', false);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hms-site-workers-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON, null, 2));
  await writeFile(join(dir, 'brygga.json'), JSON.stringify(SITE_B_JSON, null, 2));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(store.missing)('hmskort site workers / remove-worker (PostgreSQL 15)', () => {
  const on = (config: string) => (...args: string[]) => runMain(dir, ['site', ...args, '--db', store.url(), '--config', config]);
  const a = on('site.json');
  const b = on('brygga.json');
  const add = (run: typeof a, w: typeof NILS, extra: string[] = []) =>
    run('add-worker', '--name', w.name, '--birth-date', w.birthDate, '--org-number', w.employer.orgNumber, '--org-name', w.employer.name, '--from', w.from, '--to', w.to, ...extra);

  it('workers lists the site of --config only: text, --csv, --json', async () => {
    expect(await add(a, NILS, ['--site', 'kvartal7'])).toMatchObject({ status: 0, out: 'added worker 1 to kvartal7 for 2026-03-27..2026-03-29\n' });
    expect((await add(b, { ...NILS, name: 'Berit Brygge' }, ['--site', 'brygga'])).status).toBe(0);
    const ola = { name: 'Ola, "den yngre"', birthDate: '1992-11-30', employer: BEMANNING, from: '2026-03-29', to: '2026-04-30' };
    expect((await add(a, ola, ['--site', 'kvartal7', '--hiring-name', BYGG.name, '--hiring-org-number', BYGG.orgNumber])).status).toBe(0);

    const text = await a('workers');
    expect(text).toMatchObject({ status: 0, err: '' });
    expect(text.out).toBe([
      '2 worker(s) added by hand at kvartal7',
      '  #1 Nils Venter, born 1990-05-01, Bygg og Betong AS (974760673), 2026-03-27..2026-03-29',
      '  #3 Ola, "den yngre", born 1992-11-30, Bemanning Nord AS (923609016), hired by Bygg og Betong AS (974760673), 2026-03-29..2026-04-30',
      '',
    ].join('\n'));

    expect((await a('workers', '--csv', '--out', 'w.csv')).status).toBe(0);
    const records = parse(await readFile(join(dir, 'w.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records.map(({ added_at, ...r }) => (expect(added_at).toMatch(/Z$/), r))).toEqual([
      { id: '1', site_id: 'kvartal7', name: 'Nils Venter', birth_date: '1990-05-01', employer_name: BYGG.name, employer_org_number: BYGG.orgNumber, hiring_company_name: '', hiring_company_org_number: '', from: '2026-03-27', to: '2026-03-29' },
      { id: '3', site_id: 'kvartal7', name: 'Ola, "den yngre"', birth_date: '1992-11-30', employer_name: BEMANNING.name, employer_org_number: BEMANNING.orgNumber, hiring_company_name: BYGG.name, hiring_company_org_number: BYGG.orgNumber, from: '2026-03-29', to: '2026-04-30' },
    ]);

    const json = JSON.parse((await b('workers', '--json')).out);
    expect(json.siteId).toBe('brygga');
    expect(json.workers.map((w: { id: number; name: string }) => [w.id, w.name])).toEqual([[2, 'Berit Brygge']]);
  });

  it('remove-worker --to ends a range, never into the past; --delete prints what it deleted', async () => {
    // 2026-04-10T10:00Z: Oslo's 04-10; yesterday 04-09.
    const past = await a('remove-worker', '--id', '3', '--to', '2026-04-08', '--now', '2026-04-10T10:00:00Z');
    expect(past.status).toBe(3);
    expect(past.err).toContain('2026-04-08 is in the past');
    expect(await a('remove-worker', '--id', '3', '--to', '2026-04-09', '--now', '2026-04-10T10:00:00Z')).toMatchObject({
      status: 0, out: 'ended #3 Ola, "den yngre", born 1992-11-30, Bemanning Nord AS (923609016), hired by Bygg og Betong AS (974760673), 2026-03-29..2026-04-09\n',
    });
    expect(await a('remove-worker', '--id', '1', '--delete')).toMatchObject({ status: 0, out: 'deleted #1 Nils Venter, born 1990-05-01, Bygg og Betong AS (974760673), 2026-03-27..2026-03-29\n' });
    expect((await a('workers')).out).toBe('1 worker(s) added by hand at kvartal7\n  #3 Ola, "den yngre", born 1992-11-30, Bemanning Nord AS (923609016), hired by Bygg og Betong AS (974760673), 2026-03-29..2026-04-09\n');
  });

  it("another site's id, a wrong id: exit 3 \"no worker N at site X\", and the row is untouched", async () => {
    for (const id of ['2', '1', '77']) {
      const r = await a('remove-worker', '--id', id, '--delete');
      expect(r.status).toBe(3);
      expect(r.err).toContain(`no worker ${id} at site kvartal7`);
    }
    expect((await a('remove-worker', '--id', '2', '--to', '2026-12-01')).err).toContain('no worker 2 at site kvartal7');
    expect((await b('workers')).out).toContain('#2 Berit Brygge');
  });

  it('usage: neither or both of --to and --delete, a bad --id, --site of another site', async () => {
    expect((await a('remove-worker', '--id', '3')).status).toBe(2);
    expect((await a('remove-worker', '--id', '3', '--to', '2026-05-01', '--delete')).status).toBe(2);
    expect((await a('remove-worker', '--id', '0', '--delete')).status).toBe(2);
    expect((await a('remove-worker', '--delete')).status).toBe(2);
    expect(await a('workers', '--site', 'brygga')).toMatchObject({ status: 3, err: expect.stringContaining('--site brygga is not the site of') });
    expect((await a('remove-worker', '--id', '3', '--to', '2026-02-30')).status).toBe(3);
  });
});
