/**
 * One event store per test file, opened before its tests and closed after: PGlite in memory, or a
 * database on a PostgreSQL 15 server the file starts (test/helpers/postgres.ts) and stops. The
 * getters are valid inside tests (after beforeAll).
 */
import { afterAll, beforeAll } from 'vitest';
import { openEventStore } from '../../src/fleet/store/open.js';
import type { SqlDb } from '../../src/fleet/store/db.js';
import { postgresMissing, startPostgres, type PostgresHandle } from './postgres.js';

export function pgliteStore(): () => SqlDb {
  let db: SqlDb | undefined;
  beforeAll(async () => {
    db = await openEventStore('memory://');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });
  return () => db as SqlDb;
}

/** A PostgreSQL database named `name` (`missing`: why the file is skipped); `open: false` gives the URL only, for the CLI. */
export function postgresStore(name: string, open = true): { missing: string | undefined; url: () => string; db: () => SqlDb } {
  const missing = postgresMissing();
  let pg: PostgresHandle | undefined;
  let db: SqlDb | undefined;
  let url = '';
  beforeAll(async () => {
    if (missing) return;
    pg = await startPostgres();
    url = await pg.createDatabase(name);
    if (open) db = await openEventStore(url);
  }, 90_000);
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  }, 30_000);
  return { missing, url: () => url, db: () => db as SqlDb };
}
