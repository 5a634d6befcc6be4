/**
 * The one interface the store code is written against, over two drivers: PostgreSQL through `pg`
 * (node-postgres) and PGlite (PostgreSQL compiled to WebAssembly, in-process). Both speak the same
 * SQL, so the schema (schema.ts) and the queries (events.ts) exist once; one machine and a central
 * server differ only in where the database is (issue 17 part 2).
 *
 * bigint columns come back as JS numbers from both drivers (each adapter installs the parser): a
 * per-gate sequence or a stream sequence stays far below 2^53.
 */

export interface SqlResult<R> {
  rows: R[];
}

/** Something queries run on: the database, or one transaction of it. */
export interface SqlQueryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlDb extends SqlQueryable {
  /** Which driver: for the progress line and the bench rows. */
  readonly driver: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction: COMMIT when it resolves (and only then does this resolve), ROLLBACK when it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL's type OID of int8 (bigint), in both drivers' parser tables (pg_type.dat). */
export const INT8_OID = 20;
