/**
 * The journal records of printer batches (issue 16 part 5; src/batch/journalFormat.ts): `print`
 * and `reject` pass the same line checks as the others, and a story that contradicts itself (a
 * rejected card carrying an order, a done card rejected) is refused as damaged rather than trusted.
 */
import { describe, expect, it } from 'vitest';
import { replay, type JournalEntry } from '../../../src/batch/journal.js';
import { JournalError, formatLine, parseLine } from '../../../src/batch/journalFormat.js';

const AT = '2026-12-04T00:00:00.000Z';
const head: JournalEntry = { t: 'batch', v: 2, orders: 2, ordersSha256: 'a'.repeat(64), at: AT };
const begin = (order: number, uid: string): JournalEntry => ({ t: 'begin', order, id: `o${order}`, cardNumber: '1', uid, at: AT });
const print = (order: number, uid: string): JournalEntry => ({ t: 'print', order, id: `o${order}`, uid, at: AT, ms: 5, operations: 63 });
const done = (order: number, uid: string): JournalEntry => ({ t: 'done', order, id: `o${order}`, cardNumber: '1', uid, at: AT, ms: 5, operations: 63 });
const reject = (uid: string | undefined, order?: number): JournalEntry => ({ t: 'reject', ...(order !== undefined ? { order, id: `o${order}` } : {}), ...(uid ? { uid } : {}), step: 'chip', code: 'IO', message: 'x', at: AT });

function damaged(entries: JournalEntry[]): string {
  try {
    replay(entries, 'j.jsonl');
  } catch (e) {
    expect(e).toBeInstanceOf(JournalError);
    expect((e as JournalError).code).toBe('JOURNAL_DAMAGED');
    return (e as Error).message;
  }
  throw new Error('replayed without complaint');
}

describe('printer batch journal records (emulator / scripted replies; no real printer)', () => {
  it('begin, print, reject: the order is released, the UID remembered; print marks the order printing', () => {
    const s = replay([head, begin(0, 'e0000001'), reject('e0000001', 0), begin(0, 'e0000002'), print(0, 'e0000002')]);
    expect(s.pending).toEqual({ order: 0, uid: 'e0000002', printing: true });
    expect([...s.rejected]).toEqual(['e0000001']);
    // A card rejected before any order (no chip read, or not blank) releases nothing.
    const t = replay([head, begin(0, 'e0000001'), reject(undefined), reject('e00000aa')]);
    expect(t.pending).toEqual({ order: 0, uid: 'e0000001' });
  });

  it('refuses a story where a rejected card carries an order, or a good card is rejected', () => {
    expect(damaged([head, reject('e0000001'), begin(0, 'e0000001')])).toMatch(/line 3 \('begin'\) begins order #1 on card e0000001, which was rejected/);
    expect(damaged([head, begin(0, 'e0000001'), print(0, 'e0000001'), done(0, 'e0000001'), reject('e0000001')])).toMatch(/line 5 \('reject'\) rejects card e0000001 at chip, which carries order #1/);
    // Refused untouched at the check step (a finished card fed again): still that order's card.
    const refed = replay([head, begin(0, 'e0000001'), done(0, 'e0000001'), { ...reject('e0000001'), step: 'check', code: 'CARD_IN_USE' } as JournalEntry]);
    expect([refed.done.get(0), refed.rejected.size]).toEqual(['e0000001', 0]);
    expect(damaged([head, begin(0, 'e0000001'), done(0, 'e0000001'), reject('e0000009', 0)])).toMatch(/already done on card e0000001/);
    expect(damaged([head, begin(0, 'e0000001'), print(1, 'e0000001')])).toMatch(/prints order #2 on card e0000001, which was not begun on that card/);
    expect(damaged([head, reject('e0000001', 5)])).toMatch(/names order #6 of a batch of 2/);
  });

  it('each line is checked: schema, checksum', () => {
    const line = formatLine(3, reject('e0000001', 0));
    expect(parseLine(line, 3, false)).toMatchObject({ ok: true, entry: { t: 'reject', uid: 'e0000001', step: 'chip' } });
    expect(parseLine(line.replace('"step":"chip"', '"step":"chop"'), 3, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/fails its checksum/) });
    expect(parseLine(formatLine(3, reject('E0000001')), 3, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/bad "uid"/) });
    expect(parseLine(formatLine(3, { ...print(0, 'e0000001'), why: 1 } as unknown as JournalEntry), 3, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/unknown field "why"/) });
    expect(parseLine(formatLine(3, { t: 'reject', code: 'X', message: '', at: AT } as unknown as JournalEntry), 3, false)).toMatchObject({ ok: false, problem: expect.stringMatching(/lacks the field "step"/) });
  });
});
