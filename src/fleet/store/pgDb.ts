/**
 * SqlDb over a PostgreSQL server through node-postgres (`pg`). A pool of a few connections; a
 * transaction holds one checked-out client from BEGIN to COMMIT, never `pool.query`
 * (https://node-postgres.com/features/transactions/). An idle client that loses its server emits
 * 'error' on the pool: without a listener that would end the process
 * (https://node-postgres.com/apis/pool), so the pool's errors are handed to `onIdleError` and the
 * next query reconnects.
 */
import pg from 'pg';
import { StoreError } from './errors.js';
import { redact } from '../redact.js';
import { INT8_OID, type SqlDb, type SqlQueryable, type SqlResult } from './db.js';

export interface PgDbOptions {
  /** Connections kept (default 2: the ingest runs one transaction at a time). */
  max?: number;
  /** How long to wait for a connection, ms (default 10 000; pg's own default waits forever). */
  connectTimeoutMs?: number;
  onIdleError?: (err: Error) => void;
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** Connects (one round trip, so a wrong URL fails here and not at the first batch). */
export async function openPgDb(url: string, opts: PgDbOptions = {}): Promise<SqlDb> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 2, connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000, idleTimeoutMillis: 30_000, types });
  pool.on('error', (err) => opts.onIdleError?.(err));
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new StoreError('DB_UNAVAILABLE', `cannot connect to ${redact(url)}: ${(e as Error).message}`, { cause: e });
  }
  const run = (q: pg.Pool | pg.PoolClient) => async <R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> => {
    const r = await q.query(text, params as unknown[] | undefined);
    return { rows: r.rows as R[] };
  };
  return {
    driver: 'postgres',
    query: run(pool),
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await fn({ query: run(client) });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw e;
      } finally {
        // A client whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
