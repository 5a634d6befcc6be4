/**
 * The gate's hot-list readers take the `expiry` column (CSV) and key (JSON) that `hotlist publish`
 * reads (src/fleet/nats/hotlistFile.ts), so one file is both the fleet's source and the gate's
 * fallback file (issue 17 part 1: an entry carries the card's expiry). Expected values come from the
 * publish reader (csv-parse based, a second reader) on the same file; the date rule is
 * codec/dates.ts parseIsoDate (a real calendar date, YYYY-MM-DD).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHotlistCsv } from '../../../src/hotlist/csv.js';
import { parseHotlistJson } from '../../../src/hotlist/json.js';
import { readHotlistEntries } from '../../../src/fleet/nats/hotlistFile.js';
import { GateConfigError } from '../../../src/gate/errors.js';
import { thrown } from '../../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'hmsk-hotlist-expiry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

const CSV = 'cardNumber,status,minIssue,expiry\n123456,lost,,2027-05-31\n42,stolen,3,2028-02-29\n7,blocked,0,\n';
const JSON_LIST = JSON.stringify([
  { cardNumber: '123456', status: 'lost', expiry: '2027-05-31' },
  { cardNumber: '42', status: 'stolen', minIssue: 3, expiry: '2028-02-29' },
  { cardNumber: '7', status: 'blocked', minIssue: 0 },
]);

describe('the expiry column in the gate hot-list readers', () => {
  for (const [name, text, parse] of [
    ['hot.csv', CSV, parseHotlistCsv],
    ['hot.json', JSON_LIST, parseHotlistJson],
  ] as const) {
    it(`${name}: the file hotlist publish reads is the gate's list, entry for entry`, async () => {
      writeFileSync(join(dir, name), text);
      const published = await readHotlistEntries(join(dir, name));
      const h = parse(bytes(text), name);
      expect(h.size).toBe(published.size);
      for (const e of published.values()) expect(h.minIssueOf(Number(e.cardNumber)), e.cardNumber).toBe(e.minIssue ?? 256);
    });
  }

  const badDates = ['2027-02-29', '2027-13-01', '31.05.2027', '2027-5-31', '2027-05-31T00:00'];
  it.each(badDates)('CSV: expiry %s is refused with HOTLIST_FORMAT naming the line', (d) => {
    const e = thrown(() => parseHotlistCsv(bytes(`cardNumber,status,expiry\n1,lost,2027-01-01\n2,lost,${d}\n`), 'hot.csv'), GateConfigError);
    expect(e.code).toBe('HOTLIST_FORMAT');
    expect(e.message).toMatch(/^hot\.csv:3: expiry .* is not a date YYYY-MM-DD/);
  });
  it.each([...badDates.map((d) => JSON.stringify(d)), '20270531', 'null'])('JSON: expiry %s is refused with HOTLIST_FORMAT naming the line', (d) => {
    const e = thrown(() => parseHotlistJson(bytes(`[\n{"cardNumber": "1", "status": "lost",\n "expiry": ${d}}]`), 'hot.json'), GateConfigError);
    expect(e.code).toBe('HOTLIST_FORMAT');
    expect(e.message).toMatch(/^hot\.json:3: expiry .* is not a date YYYY-MM-DD/);
  });

  it('a repeated expiry column or key is still refused', () => {
    expect(thrown(() => parseHotlistCsv(bytes('cardNumber,status,expiry,expiry\n'), 'h.csv'), GateConfigError).message).toMatch(/repeated column "expiry"/);
    expect(thrown(() => parseHotlistJson(bytes('[{"cardNumber": "1", "status": "lost", "expiry": "2027-01-01", "expiry": "2027-01-01"}]'), 'h.json'), GateConfigError).message).toMatch(/repeated key "expiry"/);
  });
});
