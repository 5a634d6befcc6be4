/**
 * What a hot-list entry is (spec section 7 rule 3), in one place: the card number range of section 1,
 * the four statuses, and minIssue 0 ..= 255. The gate decision (gateDecision.ts), the hot-list CSV
 * and JSON readers and the hot-list table (src/hotlist/) all take their rules, and the wording of
 * their errors, from here.
 */
import * as Layout from './recordLayout.js';

// Own copies, for speed (Hotlist.add checks every entry of a million-line file): see gateBlockDecode.ts.
const CARD_NUMBER_DIGITS = Layout.CARD_NUMBER_DIGITS;
const MAX_CARD_NUMBER = Layout.MAX_CARD_NUMBER;
const MAX_ISSUE = Layout.MAX_ISSUE;

export const HOTLIST_STATUSES = ['lost', 'stolen', 'blocked', 'destroyed'] as const;
export type HotlistStatus = (typeof HOTLIST_STATUSES)[number];

export interface HotlistEntry {
  /** Decimal digits; compared by value, so leading zeros do not matter (section 7 rule 3). */
  cardNumber: string;
  status: HotlistStatus;
  /** Cards of this number with an issue number >= minIssue are not hot-listed. */
  minIssue?: number;
}

/** The range of a card number, as error messages write it. */
export const CARD_NUMBER_RANGE = `1..${MAX_CARD_NUMBER}`;
/** The statuses, as error messages write them: "lost, stolen, blocked or destroyed". */
export const STATUS_CHOICES = `${HOTLIST_STATUSES.slice(0, -1).join(', ')} or ${HOTLIST_STATUSES[HOTLIST_STATUSES.length - 1]}`;
/** What minIssue must be, as error messages write it. */
export const MIN_ISSUE_RANGE = `an integer 0..${MAX_ISSUE}`;

/** True for a card number value of section 1: an integer 1 ..= 999 999 999 999. */
export function isCardNumberValue(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_CARD_NUMBER;
}

/** True for a valid minIssue: an integer 0 ..= 255 (issue numbers are one byte). */
export function isMinIssue(n: unknown): n is number {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= MAX_ISSUE;
}

/** Value of a card number string (leading zeros allowed, section 1), or NaN if it is not one. */
export function cardNumberValue(s: unknown): number {
  if (typeof s === 'number') return isCardNumberValue(s) ? s : NaN;
  if (typeof s !== 'string' || !/^[0-9]{1,40}$/.test(s)) return NaN;
  const digits = s.replace(/^0+/, '');
  if (digits.length === 0 || digits.length > CARD_NUMBER_DIGITS) return NaN;
  return +digits;
}

/** Checks one hot-list entry; returns an error message or undefined. */
export function hotlistEntryProblem(e: unknown): string | undefined {
  if (!e || typeof e !== 'object') return 'entry is not an object';
  const x = e as Record<string, unknown>;
  if (Number.isNaN(cardNumberValue(x.cardNumber))) return `cardNumber ${JSON.stringify(x.cardNumber)} is not ${CARD_NUMBER_RANGE}`;
  if (!HOTLIST_STATUSES.includes(x.status as HotlistStatus)) return `status ${JSON.stringify(x.status)} is not one of ${HOTLIST_STATUSES.join(', ')}`;
  if (x.minIssue !== undefined && !isMinIssue(x.minIssue)) return `minIssue ${JSON.stringify(x.minIssue)} is not ${MIN_ISSUE_RANGE}`;
  return undefined;
}
