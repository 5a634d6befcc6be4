/**
 * What a feed entry and a feed delta are (contracts.ts), checked: the hot-list entry rules of
 * codec/hotlistEntry.ts (spec section 7 rule 3, section 1 card numbers) plus the expiry date, and
 * revisions that are positive integers. Feeds decode what arrives (a KV message, a JSON row) with
 * these, so a malformed delta is a FleetError FEED_DELTA_MALFORMED, never a crash.
 */
import { cardNumberValue, hotlistEntryProblem } from '../codec/hotlistEntry.js';
import { parseIsoDate } from '../codec/dates.js';
import { printable } from '../codec/printable.js';
import { FleetError } from './errors.js';
import type { FeedDelta, FeedEntry } from './contracts.js';

/** An entry as the follower keeps it: numbers, checked. */
export interface CheckedEntry {
  cardNumber: number;
  /** Lowest issue not listed; 256 (ALL_ISSUES) when every issue is. */
  minIssue: number | undefined;
  /** The expiry as days since 1970-01-01 (parseIsoDate). */
  expiryDay: number;
}

const show = (v: unknown): string => printable(JSON.stringify(v) ?? String(v), 80);

/** Checks one feed entry; returns an error message or undefined. */
export function feedEntryProblem(e: unknown): string | undefined {
  const p = hotlistEntryProblem(e);
  if (p) return p;
  const expiry = (e as Record<string, unknown>).expiry;
  if (typeof expiry !== 'string' || parseIsoDate(expiry) === undefined) return `expiry ${show(expiry)} is not a date YYYY-MM-DD`;
  return undefined;
}

/** A feed entry in numbers, or FleetError FEED_DELTA_MALFORMED. */
export function checkFeedEntry(e: unknown): CheckedEntry {
  const p = feedEntryProblem(e);
  if (p) throw new FleetError('FEED_DELTA_MALFORMED', `entry: ${p}`);
  const x = e as FeedEntry;
  return { cardNumber: cardNumberValue(x.cardNumber), minIssue: x.minIssue, expiryDay: parseIsoDate(x.expiry)! };
}

export function isRevision(r: unknown): r is number {
  return Number.isSafeInteger(r) && (r as number) >= 1;
}

/** Checks a delta: `op` put (with an entry) or remove (with a card number), a revision >= 1. */
export function checkFeedDelta(d: unknown): FeedDelta {
  if (!d || typeof d !== 'object') throw new FleetError('FEED_DELTA_MALFORMED', `delta ${show(d)} is not an object`);
  const x = d as Record<string, unknown>;
  if (!isRevision(x.revision)) throw new FleetError('FEED_DELTA_MALFORMED', `delta revision ${show(x.revision)} is not an integer >= 1`);
  if (x.op === 'put') {
    const p = feedEntryProblem(x.entry);
    if (p) throw new FleetError('FEED_DELTA_MALFORMED', `delta at revision ${x.revision}: ${p}`);
    return d as FeedDelta;
  }
  if (x.op === 'remove') {
    if (Number.isNaN(cardNumberValue(x.cardNumber))) throw new FleetError('FEED_DELTA_MALFORMED', `delta at revision ${x.revision}: cardNumber ${show(x.cardNumber)} is not a card number`);
    return d as FeedDelta;
  }
  throw new FleetError('FEED_DELTA_MALFORMED', `delta at revision ${x.revision}: op ${show(x.op)} is not "put" or "remove"`);
}
