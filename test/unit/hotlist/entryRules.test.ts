/**
 * One set of hot-list entry rules (spec section 7 rule 3, section 1 card numbers; issue 15 item 4):
 * the codec's hotlistEntryProblem, the CSV reader, the JSON reader and Hotlist.add accept and refuse
 * the same entries, and their messages use the same wording. Expected answers are written from the
 * spec by hand: card numbers 1 ..= 999 999 999 999 (leading zeros allowed), statuses lost, stolen,
 * blocked, destroyed (lower case), minIssue an integer 0 ..= 255.
 */
import { describe, expect, it } from 'vitest';
import { hotlistEntryProblem } from '../../../src/codec/hotlistEntry.js';
import { Hotlist, HotlistEntryError } from '../../../src/hotlist/table.js';
import { parseHotlistCsv } from '../../../src/hotlist/csv.js';
import { parseHotlistJson } from '../../../src/hotlist/json.js';
import { thrown } from '../../helpers/thrown.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** [cardNumber, status, minIssue, valid by the spec] */
const ROWS: [string, string, number | undefined, boolean][] = [
  ['1', 'lost', undefined, true],
  ['999999999999', 'stolen', 0, true],
  ['0000999999999999', 'blocked', 255, true],
  ['42', 'destroyed', 7, true],
  ['0', 'lost', undefined, false],
  ['000', 'lost', undefined, false],
  ['1000000000000', 'lost', undefined, false],
  ['12a', 'lost', undefined, false],
  ['42', 'Lost', undefined, false],
  ['42', 'found', undefined, false],
  ['42', 'lost', 256, false],
  ['42', 'lost', -1, false],
];

function csvVerdict(card: string, status: string, minIssue: number | undefined): string | undefined {
  try {
    parseHotlistCsv(enc(`cardNumber,status,minIssue\n${card},${status},${minIssue ?? ''}\n`), 'h.csv');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
function jsonVerdict(card: string, status: string, minIssue: number | undefined): string | undefined {
  try {
    parseHotlistJson(enc(JSON.stringify([{ cardNumber: card, status, ...(minIssue === undefined ? {} : { minIssue }) }])), 'h.json');
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The rule an error message quotes, in the entry rules' words (src/codec/hotlistEntry.ts). */
const words = (s: string | undefined) => /is not (1\.\.999999999999|an integer 0\.\.255|one of lost, stolen, blocked, destroyed|lost, stolen, blocked or destroyed)/.exec(s ?? '')?.[1];

describe('hot-list entry rules, one source', () => {
  it('the codec, the CSV reader and the JSON reader agree with the spec on every row', () => {
    for (const [card, status, minIssue, valid] of ROWS) {
      const entry = { cardNumber: card, status, ...(minIssue === undefined ? {} : { minIssue }) };
      const verdicts = [hotlistEntryProblem(entry), csvVerdict(card, status, minIssue), jsonVerdict(card, status, minIssue)];
      expect(verdicts.map((v) => v === undefined), JSON.stringify(entry)).toEqual([valid, valid, valid]);
    }
  });

  it('the three say what is wrong in the same words', () => {
    expect(words(hotlistEntryProblem({ cardNumber: '0', status: 'lost' }))).toBe('1..999999999999');
    expect(words(csvVerdict('0', 'lost', undefined))).toBe('1..999999999999');
    expect(words(jsonVerdict('0', 'lost', undefined))).toBe('1..999999999999');
    expect(words(hotlistEntryProblem({ cardNumber: '1', status: 'lost', minIssue: 256 }))).toBe('an integer 0..255');
    expect(words(csvVerdict('1', 'lost', 256))).toBe('an integer 0..255');
    expect(words(jsonVerdict('1', 'lost', 256))).toBe('an integer 0..255');
    expect(words(csvVerdict('1', 'x', undefined))).toBe('lost, stolen, blocked or destroyed');
    expect(words(jsonVerdict('1', 'x', undefined))).toBe('lost, stolen, blocked or destroyed');
  });

  it('Hotlist.add takes the same card numbers and minIssues (256 is its own "every issue")', () => {
    const h = new Hotlist();
    for (const [card, , minIssue] of [[1, 'lost', 0], [999_999_999_999, 'lost', 255], [2, 'lost', 256]] as const) expect(() => h.add(card, minIssue)).not.toThrow();
    for (const card of [0, -1, 1.5, 1_000_000_000_000, Number.NaN]) expect(() => h.add(card), String(card)).toThrow(RangeError);
    for (const minIssue of [-1, 257, 1.5]) expect(() => h.add(5, minIssue), String(minIssue)).toThrow(RangeError);
    // A typed error (code, kind) in the entry rules' wording: the CLI reports it as bad data, not an internal error.
    for (const card of [0, -1, 1.5, 1_000_000_000_000, Number.NaN]) {
      const e = thrown(() => h.add(card), HotlistEntryError);
      expect([e.code, e.kind, e.field, words(e.message)], String(card)).toEqual(['INVALID_HOTLIST_ENTRY', 'data', 'cardNumber', '1..999999999999']);
    }
    for (const minIssue of [-1, 257, 1.5]) {
      const e = thrown(() => h.add(5, minIssue), HotlistEntryError);
      expect([e.code, e.kind, e.field, words(e.message)], String(minIssue)).toEqual(['INVALID_HOTLIST_ENTRY', 'data', 'minIssue', 'an integer 0..255']);
    }
  });
});
