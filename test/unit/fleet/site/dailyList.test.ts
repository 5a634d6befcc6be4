/**
 * The daily list, added workers and retention on PGlite (one in-memory database for the file);
 * the same cases run on PostgreSQL 15 in test/integration/fleet/site/dailyList-postgres.test.ts.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { siteListCases } from '../../../helpers/siteListSuite.js';

let db: SqlDb;
beforeAll(async () => {
  db = await openEventStore('memory://');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe('site daily list on PGlite', () => {
  siteListCases(() => db);
});
