/**
 * What a presence event must look like to be stored (src/fleet/contracts.ts PresenceEvent), checked
 * field by field before any SQL runs: a value PostgreSQL would refuse (a NUL character, an instant
 * it cannot read, a number too large for its column) fails one event here with a typed error,
 * instead of failing the insert of the whole batch it came in.
 *
 * The rules are the widest the gate can produce, not its current values: a gate of a later version
 * may add a reason or an error code, so those are checked as tokens, not against today's lists.
 */
import type { PresenceEvent } from '../contracts.js';
import { StoreError } from './errors.js';

/** The columns of one `events` row (schema.ts), as jsonb_to_recordset reads them. */
export interface EventRow {
  gate_id: string;
  seq: number;
  site_id: string;
  at: string;
  allow: boolean;
  reason: string;
  error: string | null;
  uid: string;
  card_number: string | null;
  org_number: string | null;
  category: string | null;
  expiry: string | null;
  issue: number | null;
  hotlist_rev: number;
  stale: boolean;
  /** PresenceEvent.hotlistAgeMs (migration 5): null for a gate without a feed, and for older events. */
  hotlist_age_ms: number | null;
  stream_seq: number | null;
  /** PresenceEvent.holder (issue 18 part 1): null when the event carries the gate-block fields only. */
  holder_name: string | null;
  birth_date: string | null;
  org_name: string | null;
}

/** Site and gate ids are NATS subject tokens (`ev.<site>.<gate>`): no `.`, `*`, `>` or spaces. */
export const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const REASON_RE = /^[a-z][a-z0-9-]{0,39}$/;
const CODE_RE = /^[A-Z][A-Z0-9_]{0,39}$/;
const UID_RE = /^[0-9A-Fa-f]{0,40}$/;
const DIGITS_RE = /^[0-9]{1,20}$/;
const DATE_RE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
// ISO 8601 with a zone, as the gate writes it (Date.prototype.toISOString); years 1000-9999 only.
const INSTANT_RE = /^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$/;
const INT32_MAX = 2 ** 31 - 1;
// Spec section 1, text fields: not empty, no leading or trailing white space, no character of
// general category Cc, Cf, Cs, Co, Cn, Zl or Zp (NUL is Cc: PostgreSQL refuses it in text).
const TEXT_RE = /^(?!\s)[^\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]+(?<!\s)$/u;
// The three texts share 116 bytes on the card (section 1); the name joins two of them with a space.
const MAX_TEXT_BYTES = 117;
// Section 1: birthDate 1900-01-01 ..= 2079-06-06 (YYYY-MM-DD compares as text).
const [BIRTH_MIN, BIRTH_MAX] = ['1900-01-01', '2079-06-06'];

function bad(field: string, message: string): never {
  throw new StoreError('MALFORMED_EVENT', `${field}: ${message}`, { field });
}

function str(o: Record<string, unknown>, key: string, re: RegExp, path: string, optional: boolean): string | null {
  const v = o[key];
  if (v === undefined || v === null) return optional ? null : bad(`${path}${key}`, 'missing');
  if (typeof v !== 'string' || !re.test(v)) return bad(`${path}${key}`, `expected ${re.source}, got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v}`);
  return v;
}

function int(o: Record<string, unknown>, key: string, min: number, max: number, path: string, optional: boolean): number | null {
  const v = o[key];
  if (v === undefined || v === null) return optional ? null : bad(`${path}${key}`, 'missing');
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return bad(`${path}${key}`, `expected a whole number ${min}..${max}, got ${JSON.stringify(v)}`);
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(o: Record<string, unknown>, key: string, path: string): string {
  const v = str(o, key, TEXT_RE, path, false) as string;
  if (Buffer.byteLength(v) > MAX_TEXT_BYTES) bad(`${path}${key}`, `longer than ${MAX_TEXT_BYTES} bytes of UTF-8`);
  return v;
}

/** PresenceEvent.holder, checked: null when absent. */
function holderColumns(value: Record<string, unknown>): Pick<EventRow, 'holder_name' | 'birth_date' | 'org_name'> {
  const h = value.holder;
  if (h === undefined || h === null) return { holder_name: null, birth_date: null, org_name: null };
  if (!isRecord(h)) bad('holder', 'expected an object');
  const birth = str(h, 'birthDate', DATE_RE, 'holder.', false) as string;
  if (birth < BIRTH_MIN || birth > BIRTH_MAX || Number.isNaN(Date.parse(birth))) bad('holder.birthDate', `not a date ${BIRTH_MIN} ..= ${BIRTH_MAX}: ${JSON.stringify(birth)}`);
  return { holder_name: text(h, 'name', 'holder.'), birth_date: birth, org_name: text(h, 'orgName', 'holder.') };
}

/** Checks `value` (parsed JSON or a caller's object) and returns its `events` row; StoreError MALFORMED_EVENT when it is not a PresenceEvent. */
export function eventRow(value: unknown, streamSeq: number | null = null): EventRow {
  if (!isRecord(value)) bad('event', 'expected a JSON object');
  const d = value.decision;
  if (!isRecord(d)) bad('decision', 'expected an object');
  if (typeof d.allow !== 'boolean') bad('decision.allow', 'expected true or false');
  const stale = value.staleHotlist;
  if (stale !== undefined && typeof stale !== 'boolean') bad('staleHotlist', 'expected true or false');
  const atText = str(d, 'at', INSTANT_RE, 'decision.', false) as string;
  const at = Date.parse(atText);
  if (!Number.isFinite(at)) bad('decision.at', `not an instant: ${JSON.stringify(atText)}`);
  return {
    gate_id: str(value, 'gateId', ID_RE, '', false) as string,
    seq: int(value, 'seq', 1, Number.MAX_SAFE_INTEGER, '', false) as number,
    site_id: str(value, 'site', ID_RE, '', false) as string,
    // Normalised to UTC milliseconds: what both engines read the same way.
    at: new Date(at).toISOString(),
    allow: d.allow,
    reason: str(d, 'reason', REASON_RE, 'decision.', false) as string,
    error: str(d, 'error', CODE_RE, 'decision.', true),
    uid: str(d, 'uid', UID_RE, 'decision.', false) as string,
    card_number: str(d, 'cardNumber', DIGITS_RE, 'decision.', true),
    org_number: str(d, 'orgNumber', DIGITS_RE, 'decision.', true),
    category: str(d, 'category', REASON_RE, 'decision.', true),
    expiry: str(d, 'expiry', DATE_RE, 'decision.', true),
    issue: int(d, 'issue', 0, INT32_MAX, 'decision.', true),
    hotlist_rev: int(value, 'hotlistRevision', 0, Number.MAX_SAFE_INTEGER, '', false) as number,
    stale: stale === true,
    // A count of ms (the column is bigint): a fraction, a negative or an unsafe number is refused here.
    hotlist_age_ms: int(value, 'hotlistAgeMs', 0, Number.MAX_SAFE_INTEGER, '', true),
    stream_seq: streamSeq,
    ...holderColumns(value),
  };
}

/** A stream message's body (UTF-8 JSON of one PresenceEvent) to its row. */
export function eventRowFromBytes(data: Uint8Array, streamSeq: number | null = null): EventRow {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data));
  } catch (e) {
    throw new StoreError('MALFORMED_EVENT', `not UTF-8 JSON: ${(e as Error).message}`, { field: 'event', cause: e });
  }
  return eventRow(value, streamSeq);
}

/** The row back as the contract's PresenceEvent (for readers of the store, and tests comparing both ways). */
export function presenceEventOf(r: EventRow): PresenceEvent {
  const decision: PresenceEvent['decision'] = { allow: r.allow, reason: r.reason as PresenceEvent['decision']['reason'], uid: r.uid, at: r.at };
  if (r.error !== null) decision.error = r.error as PresenceEvent['decision']['error'];
  if (r.card_number !== null) decision.cardNumber = r.card_number;
  if (r.org_number !== null) decision.orgNumber = r.org_number;
  if (r.category !== null) decision.category = r.category as PresenceEvent['decision']['category'];
  if (r.expiry !== null) decision.expiry = r.expiry;
  if (r.issue !== null) decision.issue = r.issue;
  const p: PresenceEvent = { gateId: r.gate_id, site: r.site_id, seq: r.seq, hotlistRevision: r.hotlist_rev, ...(r.stale ? { staleHotlist: true } : {}), decision };
  // Loose (!= null): a row read from a store before migration 5 has no such column. Number(): pg
  // reads bigint as a string.
  if (r.hotlist_age_ms != null) p.hotlistAgeMs = Number(r.hotlist_age_ms);
  // Loose (!= null): a row read from a schema-1 store has no holder columns at all.
  if (r.holder_name != null && r.birth_date != null && r.org_name != null) p.holder = { name: r.holder_name, birthDate: r.birth_date, orgName: r.org_name };
  return p;
}
