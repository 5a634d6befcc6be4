/**
 * Hotlist.delete: backward-shift deletion in the linear-probing table (Knuth, TAOCP vol. 3, 6.4
 * Algorithm R). The property: after any mix of adds and deletes, every entry still listed is found
 * with its own minIssue, every deleted one is not listed, and size counts the listed numbers. The
 * oracle is a plain Map (last write for a delete-then-add, the highest minIssue for repeated adds,
 * as the table's own comment says). Card numbers are drawn from a small range so that numbers repeat
 * and clusters form, the case Algorithm R is about.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hotlist } from '../../../src/hotlist/table.js';
import { ALL_ISSUES, NOT_LISTED } from '../../../src/codec/gateDecision.js';

type Op = { del: false; n: number; min: number | undefined } | { del: true; n: number };

const op = (range: number): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ del: fc.constant(false as const), n: fc.integer({ min: 1, max: range }), min: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }) }),
    fc.record({ del: fc.constant(true as const), n: fc.integer({ min: 1, max: range }) }),
  );

function check(t: Hotlist, model: Map<number, number>, range: number): void {
  expect(t.size).toBe(model.size);
  for (let n = 1; n <= range; n++) expect(t.minIssueOf(n)).toBe(model.get(n) ?? NOT_LISTED);
}

describe('Hotlist.delete (backward-shift deletion, Algorithm R)', () => {
  it('looks up every remaining entry after random adds and deletes (model: a Map)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 400 }), fc.array(op(400), { maxLength: 600 }), (range, opsRaw) => {
        const ops = opsRaw.map((o) => ({ ...o, n: ((o.n - 1) % range) + 1 }));
        // A small initial size: the table grows while ops run, so deletes meet both sizes.
        const t = new Hotlist(4);
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.del) expect(t.delete(o.n)).toBe(model.delete(o.n));
          else {
            t.add(o.n, o.min);
            model.set(o.n, Math.max(model.get(o.n) ?? NOT_LISTED, o.min ?? ALL_ISSUES));
          }
        }
        check(t, model, range);
      }),
      { numRuns: 300 },
    );
  });

  it('deletes half of a full table at random, then every remaining entry is still found', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 999_999_999_999 }), { minLength: 1, maxLength: 2000 }), fc.infiniteStream(fc.boolean()), (nums, coin) => {
        const t = new Hotlist(nums.length);
        nums.forEach((n, i) => t.add(n, i % 256));
        const kept = new Map<number, number>();
        nums.forEach((n, i) => {
          if (coin.next().value) expect(t.delete(n)).toBe(true);
          else kept.set(n, i % 256);
        });
        expect(t.size).toBe(kept.size);
        for (const [n, min] of kept) expect(t.minIssueOf(n)).toBe(min);
        for (const n of nums) if (!kept.has(n)) expect(t.minIssueOf(n)).toBe(NOT_LISTED);
        // A deleted number can come back.
        for (const n of nums) t.add(n, 3);
        expect(t.size).toBe(nums.length);
      }),
      { numRuns: 60 },
    );
  });

  it('delete of a number not listed is false and changes nothing', () => {
    const t = new Hotlist();
    t.add(42, 7);
    expect(t.delete(43)).toBe(false);
    expect(t.size).toBe(1);
    expect(t.minIssueOf(42)).toBe(7);
    expect(t.delete(42)).toBe(true);
    expect(t.size).toBe(0);
    expect(t.minIssueOf(42)).toBe(NOT_LISTED);
  });
});
