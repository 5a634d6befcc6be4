/**
 * Opening a production batch (src/batch/open.ts), called directly: the order file validated before
 * anything is touched, invalid rows refused or skipped (journalled once), the journal bound to its
 * order file by sha256 (another file's journal refused and left as it was), a locked or damaged
 * journal refused, and the resume point. Expected values come from outside the code: the sha256 of
 * the fixtures from `sha256sum`, the journal read back as JSON lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchRefusedError, openBatch, openBatchJournal, readBatchOrders, type BatchNotice } from '../../../src/batch/open.js';
import { JournalError } from '../../../src/batch/journal.js';
import { MIXED, VALID, journalLines, tempDir } from '../../helpers/batchStack.js';

const AT = new Date('2026-12-03T10:00:00.000Z');
let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));
const journalIn = () => join((dir = tempDir()), 'j.jsonl');

describe('the order file', () => {
  it('invalid rows without skipping: BatchRefusedError INVALID_ORDERS (kind data) naming line and code; no journal file', async () => {
    const path = journalIn();
    const e = await openBatch({ ordersText: MIXED.text, journalPath: path }).catch((x) => x);
    expect(e).toBeInstanceOf(BatchRefusedError);
    expect([e.code, e.kind]).toEqual(['INVALID_ORDERS', 'data']);
    expect(e.details.problems.map((p: { line: number; id: string; code: string }) => [p.line, p.id, p.code])).toEqual([[3, 'bad', 'INVALID_ORG_NUMBER']]);
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('skipped: the valid orders keep their file order and index; the sha256 is of the whole text', () => {
    const b = readBatchOrders(MIXED.text, { skipInvalid: true });
    expect(b.orders.map((o) => [o.index, o.line, o.id])).toEqual([
      [0, 2, 'o1'],
      [1, 4, 'o2'],
    ]);
    expect(b.ordersSha256).toBe(MIXED.sha256);
    expect(readBatchOrders(VALID.text).ordersSha256).toBe(VALID.sha256);
  });

  it('over-long names: refused (TOO_LONG) unless truncating, then the order is kept and marked truncated', () => {
    // 120 bytes of names: more than the record's 116-byte text area (spec section 2, bytes 24-139).
    const text = VALID.text.replace('Kari Ærlig', 'K'.repeat(60)).replace('Østby-Hågensen', 'N'.repeat(60));
    const e = (() => {
      try {
        return readBatchOrders(text);
      } catch (x) {
        return x;
      }
    })() as BatchRefusedError;
    expect(e.details.problems?.map((p) => [p.line, p.code])).toEqual([[2, 'TOO_LONG']]);
    const b = readBatchOrders(text, { truncate: true });
    expect(b.problems).toEqual([]);
    expect(b.orders.map((o) => [o.id, o.holder.truncated])).toEqual([
      ['o1', true],
      ['o2', false],
    ]);
  });

  it('read from a path as from the text', async () => {
    const path = journalIn();
    writeFileSync(join(dir, 'orders.csv'), VALID.text);
    const b = await openBatch({ ordersPath: join(dir, 'orders.csv'), journalPath: path });
    b.journal.close();
    expect(journalLines(path)[0]).toMatchObject({ ordersSha256: VALID.sha256 });
  });
});

describe('the journal opened against the order file', () => {
  it('a new journal: line 1 is the header binding it to the file (sha256, orders), then one skip line per invalid row', async () => {
    const path = journalIn();
    const b = await openBatch({ ordersText: MIXED.text, journalPath: path, skipInvalid: true, now: () => AT });
    expect(b.resume).toEqual({ done: 0 });
    b.journal.close();
    const lines = journalLines(path);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ t: 'batch', orders: 2, ordersSha256: MIXED.sha256, at: AT.toISOString() });
    expect(lines[1]).toMatchObject({ t: 'skip', line: 3, id: 'bad', code: 'INVALID_ORG_NUMBER', at: AT.toISOString() });
    // Opened again: the header and the skip line are not written twice.
    const again = await openBatch({ ordersText: MIXED.text, journalPath: path, skipInvalid: true });
    again.journal.close();
    expect(journalLines(path)).toEqual(lines);
  });

  it("another order file's journal: BatchRefusedError FOREIGN_JOURNAL naming both sha256; the file untouched, the lock released", async () => {
    const path = journalIn();
    (await openBatch({ ordersText: VALID.text, journalPath: path })).journal.close();
    const before = readFileSync(path);
    const e = await openBatch({ ordersText: MIXED.text, journalPath: path, skipInvalid: true }).catch((x) => x);
    expect(e).toBeInstanceOf(BatchRefusedError);
    expect([e.code, e.kind]).toEqual(['FOREIGN_JOURNAL', 'data']);
    expect(e.details).toMatchObject({ journalSha256: VALID.sha256, ordersSha256: MIXED.sha256 });
    expect(e.message).toContain(VALID.sha256);
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(`${path}.lock`)).toBe(false);
    (await openBatch({ ordersText: VALID.text, journalPath: path })).journal.close();
  });

  it('a damaged line: JournalError JOURNAL_DAMAGED (kind data) with its line number; the file untouched', async () => {
    const path = journalIn();
    const b = await openBatch({ ordersText: VALID.text, journalPath: path });
    b.journal.append({ t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: 'f0000001', at: AT.toISOString() });
    b.journal.close();
    // One character of line 2 changed by hand: its checksum no longer matches.
    const text = readFileSync(path, 'utf8').replace('"uid":"f0000001"', '"uid":"f0000009"');
    writeFileSync(path, text);
    const e = await openBatch({ ordersText: VALID.text, journalPath: path }).catch((x) => x);
    expect(e).toBeInstanceOf(JournalError);
    expect([e.code, e.kind, e.where.line]).toEqual(['JOURNAL_DAMAGED', 'data', 2]);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('in use by another batch: JournalError JOURNAL_LOCKED (kind device), nothing written', async () => {
    const path = journalIn();
    const first = await openBatch({ ordersText: VALID.text, journalPath: path });
    const before = readFileSync(path);
    const e = await openBatch({ ordersText: VALID.text, journalPath: path }).catch((x) => x);
    first.journal.close();
    expect(e).toBeInstanceOf(JournalError);
    expect([e.code, e.kind]).toEqual(['JOURNAL_LOCKED', 'device']);
    expect(readFileSync(path)).toEqual(before);
  });

  it('an unfinished last line is cut and reported (notice) before the refusal of a foreign journal', async () => {
    const path = journalIn();
    (await openBatch({ ordersText: VALID.text, journalPath: path })).journal.close();
    appendFileSync(path, '{"n":2,"t":"beg');
    const notices: BatchNotice[] = [];
    const e = await openBatch({ ordersText: MIXED.text, journalPath: path, skipInvalid: true, onNotice: (n) => notices.push(n) }).catch((x) => x);
    expect(e.code).toBe('FOREIGN_JOURNAL');
    expect(notices).toEqual([{ kind: 'repaired', repair: { kind: 'cut', bytes: 15, text: '{"n":2,"t":"beg' } }]);
  });

  it('the resume point: orders done, and the one begun on a card and not finished', async () => {
    const path = journalIn();
    const b = await openBatch({ ordersText: VALID.text, journalPath: path });
    const at = AT.toISOString();
    b.journal.append({ t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: 'f0000001', at });
    b.journal.append({ t: 'done', order: 0, id: 'o1', cardNumber: '123456', uid: 'f0000001', at, ms: 1, operations: 1 });
    b.journal.append({ t: 'begin', order: 1, id: 'o2', cardNumber: '4711', uid: 'f0000002', at });
    b.journal.close();
    const r = openBatchJournal(readBatchOrders(VALID.text), path);
    r.journal.close();
    expect(r.resume).toEqual({ done: 1, pending: { order: 1, uid: 'f0000002' } });
  });
});
