/**
 * PresenceEvent.holder in the store (issue 18 part 1) on PGlite: checked field by field (spec
 * section 1 text rules, birth-date range), stored in holder_name, birth_date, org_name, read back
 * equal. The three columns are engineer S1's migration 2 (the daily list); until that branch is
 * merged this file adds them with a test-only migration (TEST_HOLDER_MIGRATION below).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb } from '../../../../src/fleet/store/pgliteDb.js';
import { migrate, MIGRATIONS, type Migration } from '../../../../src/fleet/store/schema.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { eventRow, presenceEventOf, type EventRow } from '../../../../src/fleet/store/eventShape.js';
import { StoreError } from '../../../../src/fleet/store/errors.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';

const TEST_HOLDER_MIGRATION: Migration = {
  version: MIGRATIONS.length + 1,
  name: 'test only: the holder columns of S1 migration 2',
  statements: ['ALTER TABLE events ADD COLUMN holder_name text, ADD COLUMN birth_date date, ADD COLUMN org_name text'],
};
// The spec's signed card example (test-vectors/spec-examples.json card-signed-4-byte-uid), as the gate joins it.
const KARI = { name: 'Kari Ærlig Østby-Hågensen', birthDate: '1985-04-17', orgName: 'Brønnøysund Bygg AS' };

let db: SqlDb;
beforeAll(async () => {
  db = await openPgliteDb('memory://');
  await migrate(db, [...MIGRATIONS, TEST_HOLDER_MIGRATION]);
}, 120_000);
afterAll(() => db?.close());

describe('holder fields in the events table', () => {
  it('an event with holder and one without: columns filled and null; read back equal', async () => {
    const sink = new SqlEventSink(db);
    const withHolder = presenceEvent('g1', 1, 'site1', { holder: KARI });
    const without = presenceEvent('g1', 2);
    await sink.append([withHolder, without]);
    const { rows } = await db.query<EventRow & { birth_date: string }>("SELECT *, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM events WHERE gate_id = 'g1' ORDER BY seq");
    expect(rows.map((r) => [r.holder_name, r.birth_date, r.org_name])).toEqual([
      [KARI.name, KARI.birthDate, KARI.orgName],
      [null, null, null],
    ]);
    expect(presenceEventOf({ ...eventRow(withHolder) }).holder).toEqual(KARI);
    expect(presenceEventOf(eventRow(without)).holder).toBeUndefined();
  });

  it('a batch without holders stores on a schema-1 database (no holder columns)', async () => {
    const old = await openPgliteDb('memory://');
    try {
      await migrate(old);
      await new SqlEventSink(old).append([presenceEvent('g2', 1)]);
      expect((await old.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(1);
    } finally {
      await old.close();
    }
  });

  const bad: [string, unknown, string][] = [
    ['not an object', 'Kari', 'holder'],
    ['empty name', { ...KARI, name: '' }, 'holder.name'],
    ['NUL in the name', { ...KARI, name: 'Kari\u0000' }, 'holder.name'],
    ['trailing space', { ...KARI, orgName: 'Bygg AS ' }, 'holder.orgName'],
    ['a line separator (Zl)', { ...KARI, orgName: 'Bygg\u2028AS' }, 'holder.orgName'],
    ['too long (117 bytes + 1)', { ...KARI, name: 'x'.repeat(118) }, 'holder.name'],
    ['birth date before 1900', { ...KARI, birthDate: '1899-12-31' }, 'holder.birthDate'],
    ['birth date after 2079-06-06', { ...KARI, birthDate: '2079-06-07' }, 'holder.birthDate'],
    ['birth date not a date', { ...KARI, birthDate: '1985-02-30x' }, 'holder.birthDate'],
    ['org name missing', { name: KARI.name, birthDate: KARI.birthDate }, 'holder.orgName'],
  ];
  for (const [what, holder, field] of bad) {
    it(`refused: ${what} (MALFORMED_EVENT at ${field})`, () => {
      let err: unknown;
      try {
        eventRow({ ...presenceEvent('g3', 1), holder });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ code: 'MALFORMED_EVENT', field });
    });
  }

  it('the longest name the card allows (116 bytes of texts + the joining space) is taken', () => {
    expect(eventRow({ ...presenceEvent('g3', 1), holder: { ...KARI, name: 'x'.repeat(117) } }).holder_name).toHaveLength(117);
  });
});
