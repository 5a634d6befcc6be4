/**
 * The gate decision (spec section 7). Pure: the gate block, the instant (epoch ms), the hot list and
 * the site policy are arguments; no clock is read, no file is opened.
 *
 * Rules, first match wins (section 7):
 *   1 the gate block fails to decode (section 2)        -> invalid (with the decode error code)
 *   2 category nibble 0xF                               -> voided
 *   3 card number on the hot list, entry without minIssue or the card's issue below it -> hotlisted
 *   4 policy lists allowed categories, card's not among -> category-not-allowed
 *   5 policy lists allowed org numbers, card's not among -> org-not-allowed
 *   6 Oslo date at the instant after the expiry date    -> expired
 *   7 otherwise allow, ok
 *
 * Two entry points: `decideGate` (readable reference: public decoder, strings, Intl for the Oslo
 * date) and `decideGateFast` (the turnstile's hot path: decodes into a reused object, numeric hot
 * list and policy, OsloCalendar; allocates nothing). Tests run both over the same vectors.
 */
import { HmskError, type DecodeErrorCode } from './errors.js';
import { argumentError, INSTANT_MAX_MS, INSTANT_MIN_MS, needBytes, needInstant, needObject } from './guard.js';
import { isValidOrgNumber } from './checkDigits.js';
import { cardNumberValue, hotlistEntryProblem, type HotlistEntry } from './hotlistEntry.js';
import { EXPIRY_EPOCH_DAYS, parseIsoDate } from './dates.js';
import { decodeGateBlock } from './record.js';
import { decodeGateBlockInto, statusCode, type GateBlockOut } from './gateBlockDecode.js';
import * as Layout from './recordLayout.js';
import { osloDayIntl, type OsloCalendar } from './osloCalendar.js';
import type { Category, GateFields } from './types.js';

// Own copies of the layout's category nibbles, for speed (decideFields runs on every tap): see gateBlockDecode.ts.
const CATEGORY_CONSTRUCTION = Layout.CATEGORY_CONSTRUCTION;
const CATEGORY_CLEANING = Layout.CATEGORY_CLEANING;
const CATEGORY_VOID = Layout.CATEGORY_VOID;

export type GateReason = 'ok' | 'invalid' | 'voided' | 'hotlisted' | 'category-not-allowed' | 'org-not-allowed' | 'expired';

/** The decision of section 7; `error` only with reason `invalid`. */
export interface GateDecision {
  allow: boolean;
  reason: GateReason;
  error?: DecodeErrorCode;
}

/** Numeric reasons of the fast path: index into REASONS. */
export const REASON_OK = 0;
export const REASON_INVALID = 1;
export const REASON_VOIDED = 2;
export const REASON_HOTLISTED = 3;
export const REASON_CATEGORY_NOT_ALLOWED = 4;
export const REASON_ORG_NOT_ALLOWED = 5;
export const REASON_EXPIRED = 6;
export const REASONS: readonly GateReason[] = ['ok', 'invalid', 'voided', 'hotlisted', 'category-not-allowed', 'org-not-allowed', 'expired'];
/**
 * Not a section 7 rule, so not a GateReason (the bridge's wire reasons and decideGate stay those of
 * section 7): the gate (src/gate/gate.ts) denies a card the rules allow when its followed hot list is
 * older than the policy's maxHotlistAgeHours and staleHotlist is 'deny' (issue 17).
 */
export const REASON_HOTLIST_STALE = 7;
export type GateEventReason = GateReason | 'hotlist-stale';
export const EVENT_REASONS: readonly GateEventReason[] = [...REASONS, 'hotlist-stale'];

// What a hot-list entry is: hotlistEntry.ts (re-exported, where callers have always found it).
export { HOTLIST_STATUSES, cardNumberValue, hotlistEntryProblem, type HotlistEntry, type HotlistStatus } from './hotlistEntry.js';

/**
 * A hot list as the fast path asks it: the lowest issue number of `cardNumber` that is NOT
 * hot-listed. 0 = not listed (no issue is below 0); 256 = every issue listed (no minIssue, issues
 * are 0..255). With several entries for one number the highest wins: any matching entry lists it.
 */
export interface HotlistLookup {
  minIssueOf(cardNumber: number): number;
}
export const NOT_LISTED = 0;
export const ALL_ISSUES = 256;

export interface GatePolicy {
  /** Org numbers (9 digits, valid mod-11). Absent: any org. Empty: none (read literally). */
  allowedOrgs?: string[];
  /** Absent: any category. Empty: none. */
  allowedCategories?: Category[];
  /**
   * A gate following a hot-list feed (src/fleet/follower.ts) counts its list as stale once this
   * many hours passed since the last snapshot, delta or caught-up signal. Absent: never stale. A
   * list from a file (--hotlist) has no age and is never stale.
   */
  maxHotlistAgeHours?: number;
  /** Past maxHotlistAgeHours: deny what the rules allow (reason `hotlist-stale`, the default), or allow and flag the event `staleHotlist: true`. */
  staleHotlist?: StaleHotlistAction;
}

export type StaleHotlistAction = 'deny' | 'allow-flagged';
const POLICY_KEYS = ['allowedOrgs', 'allowedCategories', 'maxHotlistAgeHours', 'staleHotlist'];

/** A small in-memory HotlistLookup over entries (vectors, tests). src/hotlist/table.ts holds millions. */
export function hotlistFromEntries(entries: readonly HotlistEntry[]): HotlistLookup {
  if (!Array.isArray(entries)) throw argumentError('hotlistFromEntries', 'entries', 'an array of hot-list entries', entries);
  const m = new Map<number, number>();
  entries.forEach((e, i) => {
    const p = hotlistEntryProblem(e);
    if (p) throw new HmskError('INVALID_ARGUMENT', `hotlist[${i}]: ${p}`, { field: `hotlist[${i}]` });
    const v = cardNumberValue(e.cardNumber);
    m.set(v, Math.max(m.get(v) ?? NOT_LISTED, e.minIssue ?? ALL_ISSUES));
  });
  return { minIssueOf: (n) => m.get(n) ?? NOT_LISTED };
}

/**
 * A malformed policy: HmskError INVALID_ARGUMENT naming the offending key, as data (`key`, `path`)
 * and in the message. src/gate/policy.ts adds the file and finds the line from `key`.
 */
export class PolicyError extends HmskError {
  /** The top-level key at fault (an unknown key, or allowedOrgs / allowedCategories); undefined when the policy itself is not an object. */
  readonly key: string | undefined;
  /** Where in the policy: [] for the policy itself, [key] or [key, index]. */
  readonly path: readonly (string | number)[];

  constructor(path: readonly (string | number)[], message: string, unknownKey?: string) {
    const field = path.reduce<string>((f, k) => (typeof k === 'number' ? `${f}[${k}]` : `${f}.${k}`), 'policy');
    super('INVALID_ARGUMENT', `${field}: ${message}`, { field });
    this.key = unknownKey ?? (typeof path[0] === 'string' ? path[0] : undefined);
    this.path = unknownKey === undefined ? path : [unknownKey];
  }
}

/** Validates a policy object; throws PolicyError (HmskError INVALID_ARGUMENT) naming the offending key. Returns a clean copy. */
export function validatePolicy(p: unknown): GatePolicy {
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new PolicyError([], 'not a JSON object');
  const x = p as Record<string, unknown>;
  // The message names the policy, as it always has ("policy: unknown key ..."); key and path name the key.
  for (const k of Object.keys(x)) if (!POLICY_KEYS.includes(k)) throw new PolicyError([], `unknown key "${k}"`, k);
  const out: GatePolicy = {};
  if (x.allowedOrgs !== undefined) {
    if (!Array.isArray(x.allowedOrgs)) throw new PolicyError(['allowedOrgs'], 'not an array');
    x.allowedOrgs.forEach((o, i) => {
      if (typeof o !== 'string' || !isValidOrgNumber(o)) throw new PolicyError(['allowedOrgs', i], `${JSON.stringify(o)} is not a 9-digit organisation number with a valid mod-11 check digit`);
    });
    out.allowedOrgs = [...(x.allowedOrgs as string[])];
  }
  if (x.allowedCategories !== undefined) {
    if (!Array.isArray(x.allowedCategories)) throw new PolicyError(['allowedCategories'], 'not an array');
    x.allowedCategories.forEach((c, i) => {
      if (c !== 'construction' && c !== 'cleaning') throw new PolicyError(['allowedCategories', i], `${JSON.stringify(c)} is not "construction" or "cleaning"`);
    });
    out.allowedCategories = [...(x.allowedCategories as Category[])];
  }
  if (x.maxHotlistAgeHours !== undefined) {
    const h = x.maxHotlistAgeHours;
    // Up to ten years: beyond that a typo, and hours * 3.6e6 stays an exact integer of ms.
    if (typeof h !== 'number' || !(h > 0 && h <= 87_660)) throw new PolicyError(['maxHotlistAgeHours'], `${JSON.stringify(h)} is not a number of hours above 0 and at most 87660`);
    out.maxHotlistAgeHours = h;
  }
  if (x.staleHotlist !== undefined) {
    if (x.staleHotlist !== 'deny' && x.staleHotlist !== 'allow-flagged') throw new PolicyError(['staleHotlist'], `${JSON.stringify(x.staleHotlist)} is not "deny" or "allow-flagged"`);
    if (out.maxHotlistAgeHours === undefined) throw new PolicyError(['staleHotlist'], 'needs maxHotlistAgeHours (without it the list is never stale)');
    out.staleHotlist = x.staleHotlist;
  }
  return out;
}

/** The policy in numbers, for the fast path. */
export interface CompiledPolicy {
  /** Bit (1 << category nibble) set for each allowed category; -1 when any is allowed. */
  categoryMask: number;
  /** Sorted allowed org numbers, or null when any org is allowed. */
  orgs: Uint32Array | null;
  /** maxHotlistAgeHours in ms; Infinity when absent. */
  maxHotlistAgeMs: number;
  /** Past the age: deny (true) or allow flagged (false). */
  staleDeny: boolean;
}

export function compilePolicy(policy: GatePolicy): CompiledPolicy {
  const p = validatePolicy(policy);
  let categoryMask = -1;
  if (p.allowedCategories) {
    categoryMask = 0;
    for (const c of p.allowedCategories) categoryMask |= 1 << (c === 'construction' ? CATEGORY_CONSTRUCTION : CATEGORY_CLEANING);
  }
  const orgs = p.allowedOrgs ? Uint32Array.from(new Set(p.allowedOrgs.map(Number))).sort() : null;
  const maxHotlistAgeMs = p.maxHotlistAgeHours === undefined ? Infinity : Math.round(p.maxHotlistAgeHours * 3_600_000);
  return { categoryMask, orgs, maxHotlistAgeMs, staleDeny: p.staleHotlist !== 'allow-flagged' };
}

function hasSorted(a: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = a[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Rules 2-6 on decoded numeric fields; `osloDay` = the Oslo date at the instant, days since 1970. */
export function decideFields(f: GateBlockOut, osloDay: number, hot: HotlistLookup, policy: CompiledPolicy): number {
  if (f.category === CATEGORY_VOID) return REASON_VOIDED;
  if (f.issue < hot.minIssueOf(f.cardNumber)) return REASON_HOTLISTED;
  if ((policy.categoryMask & (1 << f.category)) === 0) return REASON_CATEGORY_NOT_ALLOWED;
  if (policy.orgs !== null && !hasSorted(policy.orgs, f.orgNumber)) return REASON_ORG_NOT_ALLOWED;
  if (osloDay - EXPIRY_EPOCH_DAYS > f.expiryDay) return REASON_EXPIRED;
  return REASON_OK;
}

/** Where decideGateFast leaves the decode status (0 = decoded; else statusCode(status) is the error). */
export interface FastDecision {
  fields: GateBlockOut;
  status: number;
}

/**
 * The hot path: decode `block` into `out.fields` and decide. Returns a REASON_* number; on
 * REASON_INVALID `out.status` holds the decode status. Allocates nothing (bench decision-1m/fast).
 */
export function decideGateFast(block: Uint8Array, nowMs: number | Date, hot: HotlistLookup, policy: CompiledPolicy, calendar: OsloCalendar, out: FastDecision): number {
  // One cheap test of every argument (typeof, instanceof, comparisons), the checks with messages
  // out of line: the function must stay small enough for V8 to inline it into the caller's loop,
  // or the double `nowMs` is boxed on every call (16 bytes/op, bench decision-1m/fast).
  if (
    !(block instanceof Uint8Array) ||
    typeof nowMs !== 'number' ||
    !(nowMs >= INSTANT_MIN_MS && nowMs <= INSTANT_MAX_MS) ||
    hot === null ||
    typeof hot !== 'object' ||
    typeof hot.minIssueOf !== 'function' ||
    policy === null ||
    typeof policy !== 'object' ||
    calendar === null ||
    typeof calendar !== 'object' ||
    typeof calendar.day !== 'function' ||
    out === null ||
    typeof out !== 'object'
  )
    return decideGateFastChecked(block, nowMs, hot, policy, calendar, out);
  const status = decodeGateBlockInto(block, out.fields);
  out.status = status;
  if (status !== 0) return REASON_INVALID;
  // The Oslo day is asked on every tap, not only at rule 6: a flat cost per decision (the cache hits).
  return decideFields(out.fields, calendar.day(nowMs), hot, policy);
}

/** decideGateFast's arguments checked one by one (HmskError INVALID_ARGUMENT), a Date turned into ms. */
function decideGateFastChecked(block: unknown, nowMs: unknown, hot: unknown, policy: unknown, calendar: unknown, out: unknown): number {
  needBytes('decideGateFast', 'block', block);
  const ms = needInstant('decideGateFast', 'nowMs', nowMs);
  needLookup('decideGateFast', hot);
  needObject('decideGateFast', 'policy', policy);
  const cal = calendar as OsloCalendar | null;
  if (cal === null || typeof cal !== 'object' || typeof cal.day !== 'function') throw argumentError('decideGateFast', 'calendar', 'an OsloCalendar', calendar);
  const o = out as FastDecision | null;
  if (o === null || typeof o !== 'object' || o.fields === null || typeof o.fields !== 'object') throw argumentError('decideGateFast', 'out', 'a FastDecision ({fields, status})', out);
  return decideGateFast(block, ms, hot, policy as unknown as CompiledPolicy, cal, o);
}

/** A hot list as the fast path asks it: an object with minIssueOf(cardNumber). */
function needLookup(fn: string, hot: unknown): asserts hot is HotlistLookup {
  if (hot === null || typeof hot !== 'object' || typeof (hot as HotlistLookup).minIssueOf !== 'function') throw argumentError(fn, 'hotlist', 'a list of hot-list entries or a HotlistLookup', hot);
}

/** The object form of a fast decision (allocates; for events and logs, not the hot path). */
export function decisionOf(reason: number, status: number): GateDecision {
  return reason === REASON_INVALID ? { allow: false, reason: 'invalid', error: statusCode(status) } : { allow: reason === REASON_OK, reason: REASONS[reason] };
}

/**
 * Reference decision (section 7) on the public decoder and strings, with the Oslo date through Intl.
 * `hotlist` is a list of entries or a lookup; `policy` is validated. `nowMs` is epoch milliseconds
 * or a Date. Arguments of the wrong type fail with HmskError INVALID_ARGUMENT; bytes that do not
 * decode are a decision (`invalid`), not an error.
 */
export function decideGate(gateBlock: Uint8Array, nowMs: number | Date, hotlist: readonly HotlistEntry[] | HotlistLookup, policy: GatePolicy): GateDecision {
  needBytes('decideGate', 'gateBlock', gateBlock);
  const ms = needInstant('decideGate', 'nowMs', nowMs);
  needObject('decideGate', 'policy', policy);
  const p = validatePolicy(policy);
  if (!Array.isArray(hotlist)) needLookup('decideGate', hotlist);
  const hot = Array.isArray(hotlist) ? hotlistFromEntries(hotlist) : (hotlist as HotlistLookup);
  let g;
  try {
    g = decodeGateBlock(gateBlock);
  } catch (e) {
    if (e instanceof HmskError) return { allow: false, reason: 'invalid', error: e.code as DecodeErrorCode };
    throw e;
  }
  return decideDecoded(g, ms, hot, p);
}

/**
 * Rules 2-6 of the reference decision on decoded gate fields (strings), with a validated policy.
 * decideGate runs it after the public decoder; the bench runs it after the buffer-layout decoder
 * (bench/cases/gate.ts, decision-1m/layout).
 */
export function decideDecoded(g: GateFields, nowMs: number, hot: HotlistLookup, p: GatePolicy): GateDecision {
  if (g.category === 'void') return { allow: false, reason: 'voided' };
  if (g.issue < hot.minIssueOf(+g.cardNumber)) return { allow: false, reason: 'hotlisted' };
  if (p.allowedCategories && !p.allowedCategories.includes(g.category)) return { allow: false, reason: 'category-not-allowed' };
  if (p.allowedOrgs && !p.allowedOrgs.includes(g.orgNumber)) return { allow: false, reason: 'org-not-allowed' };
  // ISO dates compare as days; parseIsoDate counts from 1970 like osloDayIntl.
  if (osloDayIntl(nowMs) > (parseIsoDate(g.expiry) as number)) return { allow: false, reason: 'expired' };
  return { allow: true, reason: 'ok' };
}
