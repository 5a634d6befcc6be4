/**
 * PresenceEvent.holder in the store (issue 18 part 1) on PGlite: checked field by field (spec
 * section 1 text rules, birth-date range), stored in holder_name, birth_date, org_name, read back
 * equal. The three columns come with migration 2 (src/fleet/site/schema.ts, the daily list).
 * birth_date is text in the table and in the insert's record type: a `date` anywhere on the way
 * would read back as a Date object (pg, PGlite) or in the session's DateStyle, not as YYYY-MM-DD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDb } from '../../../../src/fleet/store/pgliteDb.js';
import { migrate, MIGRATIONS } from '../../../../src/fleet/store/schema.js';
import { SqlEventSink } from '../../../../src/fleet/store/sqlEventSink.js';
import { eventRow, presenceEventOf, type EventRow } from '../../../../src/fleet/store/eventShape.js';
import { StoreError } from '../../../../src/fleet/store/errors.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';

// The spec's signed card example (test-vectors/spec-examples.json card-signed-4-byte-uid), as the gate joins it.
const KARI = { name: 'Kari Ærlig Østby-Hågensen', birthDate: '1985-04-17', orgName: 'Brønnøysund Bygg AS' };

let db: SqlDb;
beforeAll(async () => {
  db = await openPgliteDb('memory://');
  await migrate(db);
}, 120_000);
afterAll(() => db?.close());

describe('holder fields in the events table', () => {
  it('an event with holder and one without: columns filled and null; read back equal', async () => {
    const sink = new SqlEventSink(db);
    const withHolder = presenceEvent('g1', 1, 'site1', { holder: KARI });
    const without = presenceEvent('g1', 2);
    await sink.append([withHolder, without]);
    const { rows } = await db.query<EventRow>("SELECT holder_name, birth_date, org_name FROM events WHERE gate_id = 'g1' ORDER BY seq");
    expect(rows.map((r) => [r.holder_name, r.birth_date, r.org_name])).toEqual([
      [KARI.name, KARI.birthDate, KARI.orgName],
      [null, null, null],
    ]);
    expect(presenceEventOf({ ...eventRow(withHolder) }).holder).toEqual(KARI);
    expect(presenceEventOf(eventRow(without)).holder).toBeUndefined();
  });

  it('birth_date is stored as the YYYY-MM-DD text it came as, whatever the session DateStyle', async () => {
    // A date on the way (column or record type) would come back as '17/04/1985' under this style.
    await db.query("SET DateStyle = 'SQL, DMY'");
    try {
      await new SqlEventSink(db).append([presenceEvent('g4', 1, 'site1', { holder: KARI })]);
      const { rows } = await db.query<{ birth_date: unknown }>("SELECT birth_date FROM events WHERE gate_id = 'g4'");
      expect(rows[0].birth_date).toBe(KARI.birthDate);
    } finally {
      await db.query("SET DateStyle = 'ISO, MDY'");
    }
  });

  it('a database at schema 1 is refused by the writes (migration 4 keys events per site, 5 adds hotlist_age_ms): open migrates first', async () => {
    const old = await openPgliteDb('memory://');
    try {
      await migrate(old, MIGRATIONS.slice(0, 1));
      await expect(new SqlEventSink(old).append([presenceEvent('g2', 1)])).rejects.toThrow(/ON CONFLICT|hotlist_age_ms/);
      expect((await old.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n).toBe(0);
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
