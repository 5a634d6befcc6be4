/**
 * One hot-list entry as the KV bucket holds it (issue 17 part 3): key = the card number as 12
 * digits (spec section 1; KV keys must match ^[-/=.\w]+$, nats.js kv/src/kv.ts), value = JSON
 * `{"v":1,"status":"blocked","minIssue":3,"expiry":"2027-05-31"}`. Every value is the whole state
 * of its key, so replaying a delta the gate already has is harmless (a snapshot may be newer than
 * its revision in places: research/fleet.md section 6.2).
 */
import { CARD_NUMBER_DIGITS } from '../../codec/recordLayout.js';
import { cardNumberValue, hotlistEntryProblem } from '../../codec/hotlistEntry.js';
import type { FeedEntry } from '../contracts.js';
import { NatsFleetError } from './errors.js';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The bucket key of a card number: 12 digits with leading zeros (so one card is one key). */
export function cardKey(cardNumber: string | number): string {
  const v = cardNumberValue(cardNumber);
  if (Number.isNaN(v)) throw new NatsFleetError('BAD_FEED_ENTRY', `card number ${JSON.stringify(cardNumber)} is not a card number of spec section 1`);
  return String(v).padStart(CARD_NUMBER_DIGITS, '0');
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDay(s: unknown): s is string {
  const m = typeof s === 'string' ? ISO_DAY.exec(s) : null;
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Problem with a FeedEntry, in the hot-list rules' words (codec/hotlistEntry.ts), or undefined. */
export function feedEntryProblem(e: unknown): string | undefined {
  const p = hotlistEntryProblem(e);
  if (p) return p;
  const x = e as Record<string, unknown>;
  if (!isIsoDay(x.expiry)) return `expiry ${JSON.stringify(x.expiry)} is not a day written YYYY-MM-DD`;
  return undefined;
}

export function encodeEntryValue(e: FeedEntry): string {
  return JSON.stringify(e.minIssue === undefined ? { v: 1, status: e.status, expiry: e.expiry } : { v: 1, status: e.status, minIssue: e.minIssue, expiry: e.expiry });
}

/** The FeedEntry of a bucket value; NatsFleetError BAD_FEED_ENTRY naming key and revision otherwise. */
export function decodeEntryValue(key: string, value: Uint8Array, revision: number): FeedEntry {
  let x: unknown;
  try {
    x = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  } catch (cause) {
    throw new NatsFleetError('BAD_FEED_ENTRY', `bucket key ${key} at revision ${revision}: the value is not JSON`, { key, revision, cause });
  }
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  const entry = { cardNumber: key, status: o.status, minIssue: o.minIssue, expiry: o.expiry } as FeedEntry;
  if (entry.minIssue === undefined) delete entry.minIssue;
  const problem = o.v !== 1 ? `format version ${JSON.stringify(o.v)} is not 1` : feedEntryProblem(entry);
  if (problem) throw new NatsFleetError('BAD_FEED_ENTRY', `bucket key ${key} at revision ${revision}: ${problem}`, { key, revision });
  if (cardKey(key) !== key) throw new NatsFleetError('BAD_FEED_ENTRY', `bucket key ${key} at revision ${revision}: not a 12-digit card number`, { key, revision });
  return entry;
}

/** True when both entries say the same (what the publisher compares to put only differences). */
export function sameEntry(a: FeedEntry, b: FeedEntry): boolean {
  return a.cardNumber === b.cardNumber && a.status === b.status && a.minIssue === b.minIssue && a.expiry === b.expiry;
}
