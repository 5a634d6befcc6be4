/**
 * The list's CSV read back by csv-parse (an independent RFC 4180 reader) field for field, including
 * names with commas, quotes, and non-ASCII letters; Oslo local times written by hand around the
 * DST change (tzdata EU rule: 2026-03-29T01:00Z, 2026-10-25T01:00Z).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, csvField, listCsv, listJson, listText, osloLocal } from '../../../../src/fleet/site/format.js';
import type { DailyList } from '../../../../src/fleet/site/dailyList.js';
import { EXPECTED_A_0329, SITE_B_JSON } from '../../../helpers/siteDay.js';

const list: DailyList = {
  date: '2026-03-29',
  site: { id: 'brygga', name: SITE_B_JSON.name, address: 'Bryggen 1\n5003 Bergen' },
  byggherre: SITE_B_JSON.byggherre,
  workers: EXPECTED_A_0329 as DailyList['workers'],
};

describe('site list formats', () => {
  it.each([
    ['2026-03-28T23:00:00.000Z', '2026-03-29T00:00:00+01:00'],
    ['2026-03-29T00:59:59.000Z', '2026-03-29T01:59:59+01:00'],
    ['2026-03-29T01:00:00.000Z', '2026-03-29T03:00:00+02:00'],
    ['2026-03-29T21:59:59.000Z', '2026-03-29T23:59:59+02:00'],
    ['2026-10-25T00:59:59.000Z', '2026-10-25T02:59:59+02:00'],
    ['2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00+01:00'],
  ])('%s is %s in Oslo', (utc, oslo) => {
    expect(osloLocal(utc)).toBe(oslo);
  });

  it('CSV: csv-parse reads back every field, one record per worker, CRLF records', () => {
    const csv = listCsv(list);
    expect(csv.endsWith('\r\n')).toBe(true);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0])).toEqual([...CSV_COLUMNS]);
    expect(records).toHaveLength(5);
    expect(records[0]).toEqual({
      date: '2026-03-29', site_id: 'brygga', site_name: 'Bryggen, "hus B"', site_address: 'Bryggen 1\n5003 Bergen',
      byggherre_name: 'Brygge Eiendom AS', byggherre_org_number: '991825827',
      name: 'Kari Nordmann', name_missing: 'no', birth_date: '1985-02-14', employer_name: 'Bygg og Betong AS', employer_org_number: '974760673',
      hiring_company_name: '', hiring_company_org_number: '', hms_card_number: '100000000011', category: 'construction',
      first_tap: '2026-03-29T00:00:00+01:00', last_tap: '2026-03-29T23:59:59+02:00', taps: '3', source: 'taps', manual_id: '',
    });
    expect(records[1]).toMatchObject({ name: 'Nils Venter', hms_card_number: '', first_tap: '', source: 'manual', manual_id: '1' });
    expect(records[2]).toMatchObject({ name: 'Ola Hansen', hiring_company_name: 'Bygg og Betong AS', hiring_company_org_number: '974760673' });
    expect(records[3]).toMatchObject({ name: 'Siv Ødegård, jr.', employer_name: 'Renhold & Co, avd. "Sør"' });
    expect(records[4]).toMatchObject({ name: '', name_missing: 'yes', employer_name: '', employer_org_number: '974760673' });
  });

  it('a card row replacing a worker added by hand names that row: CSV manual_id, text "replaces #N"', () => {
    const replacing = { ...list, workers: [{ ...EXPECTED_A_0329[0], manualId: 4 }] } as DailyList;
    expect((parse(listCsv(replacing), { columns: true }) as Record<string, string>[])[0]).toMatchObject({ hms_card_number: '100000000011', source: 'taps', manual_id: '4' });
    expect(listText(replacing).split('\n')[4]).toBe('  Kari Nordmann, born 1985-02-14, Bygg og Betong AS (974760673), card 100000000011 (replaces #4 added by hand) [construction], 00:00-23:59');
  });

  it('quotes exactly the fields RFC 4180 says must be quoted', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', ''].map(csvField)).toEqual(['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '"cr\r"', '']);
  });

  it('JSON carries the list with UTC and Oslo tap times', () => {
    const j = JSON.parse(listJson(list));
    expect(j.site).toEqual(list.site);
    expect(j.workers[0]).toMatchObject({ ...EXPECTED_A_0329[0], firstTapOslo: '2026-03-29T00:00:00+01:00', lastTapOslo: '2026-03-29T23:59:59+02:00' });
  });

  it('text: the site facts, then one line per worker with Oslo hours', () => {
    expect(listText(list).split('\n')).toEqual([
      'Daily list 2026-03-29: Bryggen, "hus B" (brygga), Bryggen 1\n5003 Bergen'.split('\n')[0],
      '5003 Bergen',
      'Byggherre: Brygge Eiendom AS, org. 991825827',
      '5 worker(s)',
      '  Kari Nordmann, born 1985-02-14, Bygg og Betong AS (974760673), card 100000000011 [construction], 00:00-23:59',
      '  Nils Venter, born 1990-05-01, Bygg og Betong AS (974760673), card on order (added by hand, #1)',
      '  Ola Hansen, born 1992-11-30, Bemanning Nord AS (923609016), hired by Bygg og Betong AS (974760673), card 100000000029 [construction], 07:00-16:00',
      '  Siv Ødegård, jr., born 2001-04-22, Renhold & Co, avd. "Sør" (982463718), card 100000000037 [cleaning], 09:00-09:00',
      '  (name missing: no tap has carried it yet), born ?, ? (974760673), card 100000000052 [construction], 11:00-11:00',
      '',
    ]);
  });
});
