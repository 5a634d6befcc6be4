/**
 * Workers added by hand on PGlite (one in-memory database for the file): listed, ended, deleted,
 * replaced by their card's row; the same cases run on PostgreSQL 15 in
 * test/integration/fleet/site/manualWorkers-postgres.test.ts (cases in test/helpers/siteWorkersSuite.ts).
 */
import { describe } from 'vitest';
import { pgliteStore } from '../../../helpers/siteStores.js';
import { siteWorkersCases } from '../../../helpers/siteWorkersSuite.js';

describe('workers added by hand on PGlite', () => {
  siteWorkersCases(pgliteStore());
});
