/**
 * `hmskort site export --hmsreg` end to end: the built CLI (`node bin/hmskort.js`, built by
 * `npx tsc -p tsconfig.build.json`) against a real PostgreSQL 15 holding the fixture day
 * (test/helpers/siteDay.ts) and a local HMSREG stand-in (test/helpers/hmsregServer.ts).
 * A run killed with SIGKILL the instant HMSREG received a POST, before any answer: the next run
 * sends the rest and nothing for that tap, which it reports in doubt (exit 1) until the operator
 * settles it (--list-unknown, --mark-sent). Asserted on the SERVERS' records (each tap taken at most
 * once, per Idempotency-Key), not on our table. The password, read from a file, appears
 * in no output line of any run, also with --verbose and when HMSREG refuses it (issue 18 part 4).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

  it('(b) a run SIGKILLed after HMSREG received a POST, before its answer: that tap is never sent again, 1 in doubt, exit 1 until settled', async () => {
    let child: ChildProcess | undefined;
    let victim: string | undefined;
    // Taps 1-3 answered; the 4th is received (and taken) and never answered: the kill lands then.
    const first = await startHmsregServer(AUTH, (n) => (n === 4 ? 'take-hang' : 'ok'), (n, key) => {
      if (n !== 4) return;
      victim = key;
      child?.kill('SIGKILL');
    });
    child = spawn(process.execPath, [BIN, ...args(first, join(dir, 'pw'))], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (c: Buffer) => void (text += c.toString()));
    child.stderr!.on('data', (c: Buffer) => void (text += c.toString()));
    const died = new Promise<NodeJS.Signals | null>((ok) => child!.on('exit', (_c, sig) => ok(sig)));
    const timer = setTimeout(() => child?.kill('SIGKILL'), 45_000); // a run that never reaches tap 4
    expect(await died).toBe('SIGKILL');
    clearTimeout(timer);
    outputs.push(text);
    await first.close();
    expect(first.requests).toHaveLength(4);
    expect(victim).toMatch(/^"hmskort:kvartal7:kvartal7-[a-z]+:[0-9]+"$/);

    const server = await startHmsregServer(AUTH);
    try {
      const r = await cli(args(server, join(dir, 'pw')));
      expect(r.code).toBe(1);
      expect(server.problems).toEqual([]);
      expect(server.requests.map((q) => q.key)).not.toContain(victim);
      // Across both servers: every tap taken exactly once, the victim included (by the first).
      const per = new Map<string | undefined, number>();
      for (const t of [...first.taken, ...server.taken]) per.set(t.key, (per.get(t.key) ?? 0) + 1);
      expect(per.size).toBe(TAPS);
      expect([...per.values()]).toEqual(Array(TAPS).fill(1));
      expect(r.out).toMatch(new RegExp(`^hmsreg: ${TAPS - 4}/${TAPS - 4} \\(${TAPS - 4} sent, 0 refused\\), 1 in doubt, `));
      // The operator's way out: list it, find it in HMSREG's records, mark it sent.
      const local = ['--site', 'kvartal7', '--db', url, '--config', join(dir, 'site.json')];
      const list = await cli(['site', 'export', '--list-unknown', ...local]);
      expect(list.code).toBe(1);
      const lines = list.out.trim().split('\n');
      expect(lines).toHaveLength(1);
      const [gateSeq, card, at, why] = lines[0].split('\t');
      expect(`"hmskort:kvartal7:${gateSeq}"`).toBe(victim);
      const taken = first.taken.find((t) => t.key === victim)!.body;
      expect([card, at]).toEqual([taken.Kortnr, taken.Tidspunkt]);
      expect(why).toMatch(/ended during the request/);
      expect((await cli(['site', 'export', '--mark-sent', 'kvartal7-nowhere:1', ...local])).code).toBe(3);
      expect((await cli(['site', 'export', '--mark-sent', gateSeq, ...local])).code).toBe(0);
      const again = await cli(args(server, join(dir, 'pw')));
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/^hmsreg: 0\/0 \(0 sent, 0 refused\), 0 in doubt/);
      expect(server.requests).toHaveLength(TAPS - 4);
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
