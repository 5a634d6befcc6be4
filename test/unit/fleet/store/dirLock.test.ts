/**
 * dirLock.ts: one process per PGlite directory (PGlite on Node has no lock of its own,
 * https://github.com/electric-sql/pglite/issues/1106). A live holder keeps others out; a holder
 * that died (SIGKILL leaves the file behind) does not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

/** What `p` rejects with; fails when it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then((v) => Promise.reject(new Error(`expected a rejection, got ${String(v)}`)), (e: unknown) => e);
}

describe('the lock names its holder', () => {
  it('a refusal quotes the pid and the label of the process holding it (never more of its command line)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hmslock-'));
    const db = join(dir, 'site.pg');
    const lock = await acquireDirLock(db, 'hmskort site ingest');
    try {
      expect(await readFile(`${db}.lock`, 'utf8')).toBe(`${process.pid}\nhmskort site ingest\n`);
      const e = await rejection(acquireDirLock(db, 'hmskort site serve'));
      expect(e).toMatchObject({ code: 'DB_LOCKED', kind: 'device', holder: { pid: process.pid, owner: 'hmskort site ingest' } });
      expect((e as Error).message).toContain(`in use by process ${process.pid} (hmskort site ingest)`);
    } finally {
      await lock.release();
    }
  });

  it('a lock of the earlier form (the pid alone) still keeps others out, naming the pid', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hmslock-'));
    const db = join(dir, 'site.pg');
    await writeFile(`${db}.lock`, `${process.pid}\n`);
    const e = await rejection(acquireDirLock(db));
    expect(e).toMatchObject({ code: 'DB_LOCKED', holder: { pid: process.pid } });
    expect((e as { holder: object }).holder).not.toHaveProperty('owner');
    expect((e as Error).message).toContain(`in use by process ${process.pid} (lock `);
  });
});
