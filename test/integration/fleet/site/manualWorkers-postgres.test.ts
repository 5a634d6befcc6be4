/**
 * Workers added by hand (listed, ended, deleted, replaced by their card's row) on a real PostgreSQL
 * 15 server started by the test (test/helpers/postgres.ts): the same hand-written expectations as
 * on PGlite (test/unit/fleet/site/manualWorkers.test.ts, cases in test/helpers/siteWorkersSuite.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../../helpers/postgres.js';
import { siteWorkersCases } from '../../../helpers/siteWorkersSuite.js';

const missing = postgresMissing();
let pg: PostgresHandle | undefined;
let db: SqlDb | undefined;

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  db = await openEventStore(await pg.createDatabase('site_workers'));
}, 90_000);
afterAll(async () => {
  await db?.close();
  await pg?.stop();
}, 30_000);

describe.skipIf(missing)('workers added by hand on PostgreSQL 15', () => {
  siteWorkersCases(() => db as SqlDb);
});
