/**
 * The store of the HMSREG export tests: one in-memory PGlite per test file holding the fixture
 * day (siteDay.ts), with `hmsreg_sent` emptied before each test so each starts with every tap pending.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { openEventStore } from '../../src/fleet/store/open.js';
import type { SqlDb } from '../../src/fleet/store/db.js';
import { FIXTURE_TAPS, storeTaps } from './siteDay.js';

/** Registers the hooks; `db` is set once the file's first beforeAll ran. */
export function hmsregStore(): { readonly db: SqlDb } {
  const h = { db: undefined as unknown as SqlDb };
  beforeAll(async () => {
    h.db = await openEventStore('memory://');
    await storeTaps(h.db, FIXTURE_TAPS);
  }, 120_000);
  afterAll(async () => {
    await h.db?.close();
  });
  beforeEach(async () => {
    await h.db.query('DELETE FROM hmsreg_sent');
  });
  return h;
}
