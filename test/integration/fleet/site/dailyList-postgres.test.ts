/**
 * The daily list, added workers and retention on a real PostgreSQL 15 server started by the test
 * (test/helpers/postgres.ts): the same hand-written expectations as on PGlite
 * (test/unit/fleet/site/dailyList.test.ts, cases in test/helpers/siteListSuite.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { postgresMissing, startPostgres, type PostgresHandle } from '../../../helpers/postgres.js';
import { siteListCases } from '../../../helpers/siteListSuite.js';

const missing = postgresMissing();
let pg: PostgresHandle | undefined;
let db: SqlDb | undefined;

beforeAll(async () => {
  if (missing) return;
  pg = await startPostgres();
  db = await openEventStore(await pg.createDatabase('site_list'));
}, 90_000);
afterAll(async () => {
  await db?.close();
  await pg?.stop();
}, 30_000);

describe.skipIf(missing)('site daily list on PostgreSQL 15', () => {
  siteListCases(() => db as SqlDb);
});
