/**
 * `hmskort site export --hmsreg` end to end: the built CLI (`node bin/hmskort.js`, built by
 * `npx tsc -p tsconfig.build.json`) against a real PostgreSQL 15 holding the fixture day
 * (test/helpers/siteDay.ts) and a local HMSREG stand-in (test/helpers/hmsregServer.ts).
 * A run killed with SIGKILL mid-way and run again sends the rest: every tap registered, at most one
 * twice (the one between HMSREG's answer and the record). The password, read from a file, appears
 * in no output line of any run, also with --verbose and when HMSREG refuses it (issue 18 part 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, BUILT, ROOT } from '../../helpers/batchCli.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../helpers/postgres.js';
import { FIXTURE_TAPS, SITE_A_JSON, storeTaps } from '../../helpers/siteDay.js';
import { startHmsregServer, type HmsregServer } from '../../helpers/hmsregServer.js';
import { openEventStore } from '../../../src/fleet/store/open.js';

const missing = postgresMissing() ?? (BUILT ? undefined : 'needs the built CLI (npx tsc -p tsconfig.build.json)');
const SECRET = 'Hv1t-s3cr3t:pass';
const WRONG = 'n0t-th3-r1ght-0ne';
const AUTH = { user: 'kvartal7', password: SECRET, hmsregNumber: '40117' };
const TAPS = 10; // site kvartal7's allowed taps with a card number (test/unit/fleet/site/hmsregExport.test.ts)
let pg: PostgresHandle | undefined;
let url = '';
let dir = '';
const outputs: string[] = [];

function args(server: HmsregServer, passwordFile: string): string[] {
  return ['site', 'export', '--hmsreg', server.url, '--user', AUTH.user, '--password-file', passwordFile, '--request-timeout', '5000', '--site', 'kvartal7', '--db', url, '--config', join(dir, 'site.json'), '--verbose'];
}

function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...argv], { cwd: ROOT, timeout: 60_000, killSignal: 'SIGKILL' }, (e, out, err) => {
      outputs.push(out, err);
      resolve({ code: e ? ((e as { code?: unknown }).code as number) ?? -1 : 0, out, err });
    });
  });
}

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  url = await pg.createDatabase('site_export');
  const db = await openEventStore(url);
  try {
    await storeTaps(db, FIXTURE_TAPS);
  } finally {
    await db.close();
  }
  dir = await mkdtemp(join(tmpdir(), 'hms-export-cli-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify({ ...SITE_A_JSON, hmsregNumber: AUTH.hmsregNumber }));
  await writeFile(join(dir, 'pw'), `${SECRET}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'wrong'), `${WRONG}\n`, { mode: 0o600 });
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

describe.skipIf(missing)('hmskort site export (built CLI, PostgreSQL 15)', () => {
  it('wrong credentials: exit 3, nothing recorded, the password in no output', async () => {
    const server = await startHmsregServer(AUTH);
    try {
      const r = await cli(args(server, join(dir, 'wrong')));
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/HMSREG refused the credentials of user "kvartal7" \(HTTP 401/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a run killed with SIGKILL mid-way and run again registers every tap, at most one twice', async () => {
    // Slow answers, so the kill lands in the middle of the run.
    const slow = await startHmsregServer(AUTH, () => ({ delayMs: 150 }));
    const child = spawn(process.execPath, [BIN, ...args(slow, join(dir, 'pw'))], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => void (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (text += c.toString()));
    const died = new Promise<NodeJS.Signals | null>((ok) => child.on('exit', (_c, sig) => ok(sig)));
    const deadline = Date.now() + 45_000;
    while (slow.registered.length < 4 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await died).toBe('SIGKILL');
    outputs.push(text);
    await slow.close();
    const first = slow.registered.length;
    expect(first).toBeGreaterThanOrEqual(4);
    expect(first).toBeLessThan(TAPS);

    const server = await startHmsregServer(AUTH);
    try {
      const r = await cli(args(server, join(dir, 'pw')));
      expect(r.code).toBe(0);
      expect(server.problems).toEqual([]);
      const all = [...slow.registered, ...server.registered].map((b) => `${b.Kortnr} ${b.Tidspunkt}`);
      const distinct = new Set(all);
      expect(distinct.size).toBe(TAPS);
      expect(all.length - distinct.size).toBeLessThanOrEqual(1);
      expect(r.out).toMatch(new RegExp(`^hmsreg: ${TAPS - first + (all.length - distinct.size)}/\\d+ `));
      // A third run has nothing left.
      const again = await cli(args(server, join(dir, 'pw')));
      expect(again.out).toMatch(/^hmsreg: 0\/0 \(0 sent, 0 refused\)/);
    } finally {
      await server.close();
    }
  }, 90_000);

  it('no output of any run holds a password, in clear or in Basic form', () => {
    expect(outputs.length).toBeGreaterThan(0);
    for (const secret of [SECRET, WRONG, Buffer.from(`${AUTH.user}:${SECRET}`).toString('base64'), Buffer.from(`${AUTH.user}:${WRONG}`).toString('base64')]) {
      for (const o of outputs) expect(o).not.toContain(secret);
    }
  });
});
