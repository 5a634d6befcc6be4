/**
 * test/helpers/postgres.ts: a test process that ends without stop() leaves no PostgreSQL behind
 * (pg_ctl detaches the postmaster, so it is no child the worker's death would take with it).
 * The child starts a real server, prints the postmaster's pid and calls process.exit.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { postgresMissing } from '../../helpers/postgres.js';
import { until } from '../../helpers/natsFleet.js';

const root = resolve(import.meta.dirname, '../../..');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(postgresMissing())('startPostgres', () => {
  it('the postmaster does not outlive a test process that exits without stop()', async () => {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'postgres-child.ts')], { cwd: root, timeout: 60_000 }).then(
      () => ({ code: 0, stdout: '', stderr: 'the child exited 0' }),
      (e: { code?: number; stdout?: string; stderr?: string }) => e,
    );
    expect(r.code, r.stderr).toBe(1);
    const [pidText, dir] = (r.stdout ?? '').trim().split(' ');
    const pid = Number(pidText);
    expect(pid).toBeGreaterThan(0);
    let reaped = true;
    await until(`postmaster ${pid} gone`, () => !alive(pid), 10_000).catch(() => (reaped = false));
    if (!reaped) process.kill(pid, 'SIGKILL'); // the helper failed: leave no server behind anyway
    await rm(dir, { recursive: true, force: true });
    expect(reaped, `postmaster ${pid} still running after its test process exited`).toBe(true);
  }, 90_000);
});
