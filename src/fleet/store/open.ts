/**
 * `--db postgres://...|FILE`: a PostgreSQL URL opens the server through `pg`; anything else is a
 * PGlite data directory (created when absent). Either way the schema is brought up to date before
 * the database is handed out, so every caller sees the same tables.
 */
import { resolve } from 'node:path';
import { StoreError } from './errors.js';
import { migrate } from './schema.js';
import type { SqlDb } from './db.js';

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens and migrates the database `target` names; relative directories are taken from `cwd`.
 * `owner` names this process in a PGlite directory's lock (`hmskort site serve`), for whoever is refused it.
 */
export async function openEventStore(target: string, opts: { cwd?: string; onIdleError?: (err: Error) => void; owner?: string } = {}): Promise<SqlDb> {
  if (typeof target !== 'string' || target.trim() === '') throw new StoreError('BAD_DB_TARGET', 'give a postgres:// URL or a directory for PGlite');
  let db: SqlDb;
  if (isPostgresUrl(target)) {
    const { openPgDb } = await import('./pgDb.js');
    db = await openPgDb(target, { onIdleError: opts.onIdleError });
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target) && !target.startsWith('memory://')) {
    throw new StoreError('BAD_DB_TARGET', `${target}: not a postgres:// URL; a PGlite database is a directory path`);
  } else {
    const { openPgliteDb } = await import('./pgliteDb.js');
    db = await openPgliteDb(target.startsWith('memory://') ? target : resolve(opts.cwd ?? process.cwd(), target), opts.owner);
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}
