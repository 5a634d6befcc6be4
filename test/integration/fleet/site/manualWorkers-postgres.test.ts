/**
 * Workers added by hand (listed, ended, deleted, replaced by their card's row) on a real PostgreSQL
 * 15 server started by the test (test/helpers/postgres.ts): the same hand-written expectations as
 * on PGlite (test/unit/fleet/site/manualWorkers.test.ts, cases in test/helpers/siteWorkersSuite.ts).
 */
import { describe } from 'vitest';
import { postgresStore } from '../../../helpers/siteStores.js';
import { siteWorkersCases } from '../../../helpers/siteWorkersSuite.js';

const store = postgresStore('site_workers');

describe.skipIf(store.missing)('workers added by hand on PostgreSQL 15', () => {
  siteWorkersCases(store.db);
});
