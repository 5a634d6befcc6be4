/**
 * test/helpers/postgres.ts: a test process that ends without stop() leaves no PostgreSQL behind
 * (pg_ctl detaches the postmaster, so it is no child the worker's death would take with it).
 * The child starts a real server, prints the postmaster's pid and calls process.exit (or is
 * SIGKILLed, which runs no handler at all). And a test file whose afterAll throws before stop(), run
 * in a nested vitest (fixtures/postgres-cleanup-throws.fixture.ts): no postgres of its data dirs
 * remains, by pgrep on the data dir path.
 */
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { postgresMissing, processAlive as alive } from '../../helpers/postgres.js';
import { until } from '../../helpers/natsFleet.js';

const root = resolve(import.meta.dirname, '../../..');

/** The command lines of the processes running with `path` in theirs (pgrep -f; none: ''). */
const pgrep = (path: string): string => {
  try {
    return execFileSync('pgrep', ['-a', '-f', path], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch (e) {
    if ((e as { status?: number }).status === 1) return ''; // pgrep: no process matched
    throw e;
  }
};

describe.skipIf(postgresMissing())('startPostgres', () => {
  it.each(['exit', 'SIGKILL'])('the postmaster does not outlive a test process that ends without stop() (%s)', async (how) => {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'postgres-child.ts'), how], { cwd: root, timeout: 60_000 }).then(
      () => ({ code: 0, stdout: '', stderr: 'the child exited 0' }),
      (e: { code?: number; stdout?: string; stderr?: string }) => e,
    );
    if (how === 'exit') expect(r.code, r.stderr).toBe(1);
    else expect((r as { signal?: string }).signal, r.stderr).toBe('SIGKILL');
    const [pidText, dir] = (r.stdout ?? '').trim().split(' ');
    const pid = Number(pidText);
    expect(pid).toBeGreaterThan(0);
    let reaped = true;
    await until(`postmaster ${pid} gone`, () => !alive(pid), 10_000).catch(() => (reaped = false));
    if (!reaped) process.kill(pid, 'SIGKILL'); // the helper failed: leave no server behind anyway
    await rm(dir, { recursive: true, force: true });
    expect(reaped, `postmaster ${pid} still running after its test process exited`).toBe(true);
  }, 90_000);

  it('a test file whose afterAll throws before stop() leaves no postgres of its data dirs', async () => {
    const out = join(tmpdir(), `hmspg-fixture-${process.pid}-${Date.now()}.txt`);
    const vitest = join(root, 'node_modules/.bin/vitest');
    const r = await promisify(execFile)(vitest, ['run', '--root', root, '--config', join(import.meta.dirname, 'fixtures/vitest.config.ts')], {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, HMSKORT_PG_FIXTURE_OUT: out },
    }).then(
      () => ({ code: 0, stdout: '' }),
      (e: { code?: number; stdout?: string }) => e,
    );
    const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
    await rm(out, { force: true });
    const servers = lines.filter((l) => /^(beforeAll|test) /.test(l)).map((l) => l.split(' '));
    // The nested run fails (its afterAll and one test throw) but ran all three tests.
    expect(r.code, r.stdout).toBe(1);
    expect(servers.map(([where]) => where)).toEqual(['beforeAll', 'test']);
    expect(lines).toContain('stopped-when-test-finished'); // onTestFinished, inside the run
    for (const [, pid, dir] of servers) {
      let gone = true;
      await until(`no postgres of ${dir}/data`, () => pgrep(`${dir}/data`) === '', 10_000).catch(() => (gone = false));
      if (!gone) process.kill(Number(pid), 'SIGKILL'); // leave no server behind, even when the helper failed
      expect(gone, `still running: ${pgrep(`${dir}/data`)}`).toBe(true);
      await until(`${dir} removed`, () => !existsSync(dir), 10_000);
    }
  }, 150_000);
});
