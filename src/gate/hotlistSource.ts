/**
 * Where a followed hot list stands (issue 17; src/fleet/follower.ts implements it). The gate reads
 * both fields at each decision, in the same synchronous step as the lookup, so the revision an event
 * carries is the one the list was at, and the policy's maxHotlistAgeHours is measured from
 * `updatedAtMs` (the same age the event carries as hotlistAgeMs, issue 18 part 5).
 */
import { argumentError } from '../codec/guard.js';
import type { HotlistLookup } from '../codec/gateDecision.js';

export interface HotlistSource {
  readonly revision: number;
  /** Epoch ms of the last snapshot, delta or caught-up signal: the list's age counts from here. */
  readonly updatedAtMs: number;
}

/** Gate.setHotlist's arguments: a lookup, and a source or nothing (HmskError INVALID_ARGUMENT). */
export function needHotlistAndSource(fn: string, h: unknown, source: unknown): void {
  if (h === null || typeof h !== 'object' || typeof (h as HotlistLookup).minIssueOf !== 'function') throw argumentError(fn, 'hotlist', 'a HotlistLookup (an object with minIssueOf)', h);
  const s = source as HotlistSource | null | undefined;
  if (s !== undefined && (s === null || typeof s !== 'object' || typeof s.revision !== 'number' || typeof s.updatedAtMs !== 'number'))
    throw argumentError(fn, 'source', 'a HotlistSource ({revision, updatedAtMs})', source);
}
