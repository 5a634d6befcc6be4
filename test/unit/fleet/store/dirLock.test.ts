/**
 * dirLock.ts: one process per PGlite directory (PGlite on Node has no lock of its own,
 * https://github.com/electric-sql/pglite/issues/1106). A live holder keeps others out; a holder
 * that died (SIGKILL leaves the file behind) does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDirLock } from '../../../../src/fleet/store/dirLock.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function deadPid(): Promise<number> {
  const p = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => p.once('exit', resolve));
  return p.pid as number;
}

describe('PGlite directory lock', () => {
  it('keeps a second holder out while the first lives, and is free again after release', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hmslock-'));
    const db = join(dir, 'site.pg');
    const lock = await acquireDirLock(db);
    expect(existsSync(`${db}.lock`)).toBe(true);
    await expect(acquireDirLock(db)).rejects.toMatchObject({ code: 'DB_LOCKED', kind: 'device' });
    await lock.release();
    expect(existsSync(`${db}.lock`)).toBe(false);
    await (await acquireDirLock(db)).release();
  });

  it('takes over a lock whose process is gone', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hmslock-'));
    const db = join(dir, 'site.pg');
    await writeFile(`${db}.lock`, `${await deadPid()}\n`);
    const lock = await acquireDirLock(db);
    await lock.release();
  });
});
