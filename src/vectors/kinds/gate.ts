/**
 * `gate` vectors (spec section 8): gate block (hex), instant (ISO 8601 with an offset or Z), hot
 * list and policy -> `{allow, reason, error?}` of section 7. Runs the reference decision and the fast
 * path and fails loudly if they ever differ, so every gate vector checks both.
 */
import type { KindHandler } from '../kind.js';
import { tryFromHex } from '../../codec/hex.js';
import { compilePolicy, decideGate, decideGateFast, decisionOf, hotlistFromEntries, type GatePolicy, type HotlistEntry } from '../../codec/gateDecision.js';
import { newGateBlockOut } from '../../codec/gateBlockDecode.js';
import { OsloCalendar } from '../../codec/osloCalendar.js';

/** An instant: date, time, and a zone designator (Z or +hh:mm); a local time names no instant. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseInstant(s: unknown): number {
  const ms = typeof s === 'string' && INSTANT.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(ms)) throw new TypeError(`now: ${JSON.stringify(s)} is not an ISO 8601 instant with Z or an offset`);
  return ms;
}

let calendar: OsloCalendar | undefined;

export const handler: KindHandler = (input) => {
  // Not hex, or odd length: the block cannot be 16 bytes, so rule 1 with BAD_LENGTH (as decode-gate).
  const block = (typeof input.gateBlock === 'string' ? tryFromHex(input.gateBlock) : undefined) ?? new Uint8Array(0);
  const now = parseInstant(input.now);
  if (!Array.isArray(input.hotlist)) throw new TypeError('hotlist: not an array');
  const entries = input.hotlist as HotlistEntry[];
  const policy = (input.policy ?? {}) as GatePolicy;
  const reference = decideGate(block, now, entries, policy);

  calendar ??= new OsloCalendar();
  const out = { fields: newGateBlockOut(), status: 0 };
  const reason = decideGateFast(block, now, hotlistFromEntries(entries), compilePolicy(policy), calendar, out);
  const fast = decisionOf(reason, out.status);
  if (fast.reason !== reference.reason || fast.error !== reference.error)
    throw new Error(`fast path decided ${JSON.stringify(fast)}, reference ${JSON.stringify(reference)}`);
  return { ...reference };
};
