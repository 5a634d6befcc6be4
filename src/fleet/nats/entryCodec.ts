/**
 * One hot-list entry as the KV bucket holds it (issue 17 part 3): key = the card number as 12
 * digits (spec section 1; KV keys must match ^[-/=.\w]+$, nats.js kv/src/kv.ts), value = JSON
 * `{"v":1,"status":"blocked","minIssue":3,"expiry":"2027-05-31"}`. Every value is the whole state
 * of its key, so replaying a delta the gate already has is harmless (a snapshot may be newer than
 * its revision in places: research/fleet.md section 6.2).
 */
import { CARD_NUMBER_DIGITS } from '../../codec/recordLayout.js';
import { cardNumberValue } from '../../codec/hotlistEntry.js';
import { feedEntryProblem } from '../feedEntry.js';
import type { FeedEntry } from '../contracts.js';
import { NatsFleetError } from './errors.js';

/** The bucket key of a card number: 12 digits with leading zeros (so one card is one key). */
export function cardKey(cardNumber: string | number): string {
  const v = cardNumberValue(cardNumber);
  if (Number.isNaN(v)) throw new NatsFleetError('FEED_DELTA_MALFORMED', `card number ${JSON.stringify(cardNumber)} is not a card number of spec section 1`);
  return String(v).padStart(CARD_NUMBER_DIGITS, '0');
}

export function encodeEntryValue(e: FeedEntry): string {
  return JSON.stringify(e.minIssue === undefined ? { v: 1, status: e.status, expiry: e.expiry } : { v: 1, status: e.status, minIssue: e.minIssue, expiry: e.expiry });
}

/** The FeedEntry of a bucket value; NatsFleetError FEED_DELTA_MALFORMED naming key and revision otherwise. */
export function decodeEntryValue(key: string, value: Uint8Array, revision: number): FeedEntry {
  let x: unknown;
  try {
    x = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  } catch (cause) {
    throw new NatsFleetError('FEED_DELTA_MALFORMED', `bucket key ${key} at revision ${revision}: the value is not JSON`, { key, revision, cause });
  }
  const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
  const entry = { cardNumber: key, status: o.status, minIssue: o.minIssue, expiry: o.expiry } as FeedEntry;
  if (entry.minIssue === undefined) delete entry.minIssue;
  const problem = o.v !== 1 ? `format version ${JSON.stringify(o.v)} is not 1` : feedEntryProblem(entry);
  if (problem) throw new NatsFleetError('FEED_DELTA_MALFORMED', `bucket key ${key} at revision ${revision}: ${problem}`, { key, revision });
  if (cardKey(key) !== key) throw new NatsFleetError('FEED_DELTA_MALFORMED', `bucket key ${key} at revision ${revision}: not a 12-digit card number`, { key, revision });
  return entry;
}

/** True when both entries say the same (what the publisher compares to put only differences). */
export function sameEntry(a: FeedEntry, b: FeedEntry): boolean {
  return a.cardNumber === b.cardNumber && a.status === b.status && a.minIssue === b.minIssue && a.expiry === b.expiry;
}
