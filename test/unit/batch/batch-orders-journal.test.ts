/**
 * Production batch inputs and journal: every bad order row is reported with its line, and the
 * journal survives a write torn by a kill (issue 9).
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOrders } from '../../../src/batch/orders.js';
import { Journal, header } from '../../../src/batch/journal.js';

const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
// Holder of the spec example `encode-construction`, and of `encode-cleaning-leading-zeros`.
const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';
const JAN = 'o2,cleaning,000000004711,923609016,"Renhold Øst AS",Jan,Kowalski,1991-11-02,M,2027-01-15,2';

describe('order files', () => {
  it('parses valid rows with their line numbers', () => {
    const { orders, problems } = parseOrders([HEADER, KARI, JAN].join('\n') + '\n');
    expect(problems).toEqual([]);
    expect(orders.map((o) => [o.index, o.line, o.id, o.holder.cardNumber, o.holder.issue])).toEqual([
      [0, 2, 'o1', '123456', 0],
      [1, 3, 'o2', '4711', 2],
    ]);
  });

  it('reports each bad row with its line and the spec code, quoted fields spanning lines counted', () => {
    const text = [
      HEADER,
      'o1,construction,123456,974760674,Bygg AS,Ola,Nordmann,1980-01-01,M,2030-12-31,0', // spec example: bad org check digit
      '"o2",cleaning,77,923609016,"Renhold, ""Øst""\nAS",Jan,Kowalski,1991-11-02,M,2027-01-15,0', // line 3-4: newline inside the org name is a Cc character
      'o3,construction,0,974760673,Bygg AS,Ola,Nordmann,1980-01-01,M,2030-12-31,0', // card number 0
      'o4,construction,5,974760673,Bygg AS,Ola,Nordmann,1980-02-30,M,2030-12-31,0', // no such date
      'o5,construction,123456,974760673,Bygg AS,Ola,Nordmann,1980-01-01,M,2030-12-31,0',
      'o6,construction,00123456,974760673,Bygg AS,Per,Nordmann,1980-01-01,M,2030-12-31,0', // same card as o5 by value
    ].join('\n');
    const { orders, problems } = parseOrders(text);
    expect(orders.map((o) => o.id)).toEqual(['o5']);
    expect(problems.map((p) => [p.line, p.code])).toEqual([
      [2, 'INVALID_ORG_NUMBER'],
      [3, 'INVALID_TEXT'],
      [5, 'INVALID_CARD_NUMBER'],
      [6, 'INVALID_DATE'],
      [8, 'DUPLICATE'],
    ]);
  });

  it('refuses a header without the holder columns', () => {
    expect(() => parseOrders('name,card\nx,1\n')).toThrow(/line 1/);
  });
});

describe('journal', () => {
  it('replays begin/done and cuts a torn last line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-journal-'));
    const path = join(dir, 'j.jsonl');
    const j = Journal.open(path);
    j.append(header(2, 'a'.repeat(64), new Date()));
    j.append({ t: 'begin', order: 0, id: 'o1', cardNumber: '1', uid: '01020304', at: '2026-12-03T10:00:00.000Z' });
    j.append({ t: 'done', order: 0, id: 'o1', cardNumber: '1', uid: '01020304', at: '2026-12-03T10:00:00.000Z', ms: 1, operations: 2 });
    j.append({ t: 'begin', order: 1, id: 'o2', cardNumber: '2', uid: '05060708', at: '2026-12-03T10:00:00.000Z' });
    j.close();
    appendFileSync(path, '{"t":"done","order":1,"id":"o2"'); // a kill during this write
    const k = Journal.open(path);
    expect(k.repairedBytes).toBe(31);
    expect(k.repair).toMatchObject({ kind: 'cut', text: '{"t":"done","order":1,"id":"o2"' });
    expect([...k.state.done]).toEqual([[0, '01020304']]);
    expect(k.state.pending).toEqual({ order: 1, uid: '05060708' });
    k.close();
    expect(readFileSync(path, 'utf8').match(/"uid":"05060708","at":"2026-12-03T10:00:00.000Z","crc":"[0-9a-f]{8}"\}\n$/)).not.toBeNull();
  });

  it('refuses a journal with a corrupt line in the middle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-journal-'));
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, `{"t":"batch","orders":1,"ordersSha256":"${'a'.repeat(64)}","at":"2026-12-03T10:00:00Z"}\nnot json\n{"t":"done"}\n`);
    expect(() => Journal.open(path)).toThrow(/line 2 is not JSON/);
  });
});
