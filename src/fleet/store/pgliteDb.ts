/**
 * SqlDb over PGlite (@electric-sql/pglite): PostgreSQL in this process, its data directory on the
 * file system (`memory://` for tests). PGlite is PostgreSQL in single-user mode: "you are likely to
 * corrupt the database if you open it multiple times at once"
 * (https://github.com/electric-sql/pglite/issues/323), and on Node it has no lock of its own yet
 * (https://github.com/electric-sql/pglite/issues/1106), so a lock file beside the directory keeps
 * a second process out (dirLock.ts).
 */
import { PGlite } from '@electric-sql/pglite';
import { StoreError } from './errors.js';
import { acquireDirLock } from './dirLock.js';
import { INT8_OID, type SqlDb, type SqlResult } from './db.js';

/**
 * Opens (creating it when absent) the PGlite database in `dataDir`, or an in-memory one for
 * `memory://`; `owner` labels the lock for a process that is refused it (dirLock.ts).
 */
export async function openPgliteDb(dataDir: string, owner?: string): Promise<SqlDb> {
  const inMemory = dataDir.startsWith('memory://');
  const lock = inMemory ? undefined : await acquireDirLock(dataDir, owner);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: Number } });
  } catch (e) {
    await lock?.release();
    throw new StoreError('DB_UNAVAILABLE', `cannot open the PGlite database in ${dataDir}: ${(e as Error).message}`, { cause: e });
  }
  const query = async <R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> => {
    const r = await db.query<R>(text, params as unknown[] | undefined);
    return { rows: r.rows };
  };
  return {
    driver: 'pglite',
    query,
    transaction: (fn) =>
      db.transaction(async (tx) =>
        fn({
          query: async <R>(text: string, params?: readonly unknown[]) => ({ rows: (await tx.query<R>(text, params as unknown[] | undefined)).rows }),
        }),
      ),
    async close() {
      try {
        await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
}
