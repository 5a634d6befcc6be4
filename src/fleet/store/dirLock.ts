/**
 * A lock file beside a PGlite data directory (`DIR.lock`, holding the owner's pid): PGlite on Node
 * has no lock of its own (https://github.com/electric-sql/pglite/issues/1106) and two processes on
 * one directory corrupt it. Created with O_EXCL ('wx'), so of two processes starting at once one
 * wins. A lock whose pid no longer runs (a process killed with SIGKILL) is stale and taken over.
 * The second line, when there is one, names the holder (`hmskort site ingest`): the refusal quotes it,
 * so the person who meets it knows which process to stop. Only a fixed label goes there, never the
 * command line (it may hold a --db password).
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

/** Whoever holds the lock at `path`: its pid and label, from the file's two lines. */
async function holderOf(path: string): Promise<{ pid: number; owner?: string }> {
  const [first, second] = (await readFile(path, 'utf8').catch(() => '')).split('\n');
  const owner = second?.trim();
  return { pid: Number.parseInt(first, 10), ...(owner ? { owner } : {}) };
}

/**
 * Takes the lock of `dataDir`; `owner` (a label like `hmskort site serve`) is written beside the pid
 * for whoever is refused, and `rule` is the reason the refusal gives (the outbox's lock has its own).
 */
export async function acquireDirLock(dataDir: string, owner?: string, rule = 'PGlite allows one process per database'): Promise<DirLock> {
  const path = `${dataDir.replace(/\/+$/, '')}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n${owner === undefined ? '' : `${owner.replace(/[\r\n]/g, ' ')}\n`}`);
      await fh.close();
      return { path, release: () => unlink(path).catch(() => undefined) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError('DB_UNAVAILABLE', `cannot create the lock ${path}: ${(e as Error).message}`, { cause: e });
    }
    const { pid, owner: holder } = await holderOf(path);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
      throw new StoreError('DB_LOCKED', `${dataDir} is in use by process ${pid}${holder ? ` (${holder})` : ''} (lock ${path}); ${rule}`, { holder: { pid, ...(holder ? { owner: holder } : {}) } });
    }
    await unlink(path).catch(() => undefined); // stale: its process is gone
  }
  throw new StoreError('DB_LOCKED', `${dataDir}: could not take the lock ${path}`);
}
