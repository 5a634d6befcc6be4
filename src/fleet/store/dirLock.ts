/**
 * A lock file beside a PGlite data directory (`DIR.lock`, holding the owner's pid): PGlite on Node
 * has no lock of its own (https://github.com/electric-sql/pglite/issues/1106) and two processes on
 * one directory corrupt it. Created with O_EXCL ('wx'), so of two processes starting at once one
 * wins. A lock whose pid no longer runs (a process killed with SIGKILL) is stale and taken over.
 */
import { open, readFile, unlink } from 'node:fs/promises';
import { StoreError } from './errors.js';

export interface DirLock {
  readonly path: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireDirLock(dataDir: string): Promise<DirLock> {
  const path = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return { path, release: () => unlink(path).catch(() => undefined) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError('DB_UNAVAILABLE', `cannot create the lock ${path}: ${(e as Error).message}`, { cause: e });
    }
    const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new StoreError('DB_LOCKED', `${dataDir} is in use by process ${pid} (lock ${path}); PGlite allows one process per database`);
    await unlink(path).catch(() => undefined); // stale: its process is gone
  }
  throw new StoreError('DB_LOCKED', `${dataDir}: could not take the lock ${path}`);
}
