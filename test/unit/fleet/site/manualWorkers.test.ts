/**
 * Workers added by hand on PGlite (one in-memory database for the file): listed, ended, deleted,
 * replaced by their card's row; the same cases run on PostgreSQL 15 in
 * test/integration/fleet/site/manualWorkers-postgres.test.ts (cases in test/helpers/siteWorkersSuite.ts).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { siteWorkersCases } from '../../../helpers/siteWorkersSuite.js';

let db: SqlDb;
beforeAll(async () => {
  db = await openEventStore('memory://');
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe('workers added by hand on PGlite', () => {
  siteWorkersCases(() => db);
});
