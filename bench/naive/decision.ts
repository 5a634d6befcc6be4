/**
 * The naive path of the decision bench (bench/cases/gate.ts, row decision-1m/naive): section 7
 * over the naive gate-block decode, with the hot list as a Map from card-number strings to entry
 * objects (as a JSON hot list parses), the policy as arrays of strings, and the Oslo date of the
 * instant from toLocaleDateString with the time zone. See gateBlock.ts.
 */
import { naiveDecodeGateBlock, NaiveDecodeError } from './gateBlock.js';

export interface NaiveHotEntry {
  status: string;
  minIssue?: number;
}

export interface NaivePolicy {
  allowedOrgs?: string[];
  allowedCategories?: string[];
}

export function naiveDecide(block: Uint8Array, nowMs: number, hot: Map<string, NaiveHotEntry>, policy: NaivePolicy): { allow: boolean; reason: string; error?: string } {
  let g;
  try {
    g = naiveDecodeGateBlock(block);
  } catch (e) {
    if (e instanceof NaiveDecodeError) return { allow: false, reason: 'invalid', error: e.code };
    throw e;
  }
  if (g.category === 'void') return { allow: false, reason: 'voided' };
  const entry = hot.get(g.cardNumber);
  if (entry && (entry.minIssue === undefined || g.issue < entry.minIssue)) return { allow: false, reason: 'hotlisted' };
  if (policy.allowedCategories && !policy.allowedCategories.includes(g.category)) return { allow: false, reason: 'category-not-allowed' };
  if (policy.allowedOrgs && !policy.allowedOrgs.includes(g.orgNumber)) return { allow: false, reason: 'org-not-allowed' };
  // sv-SE formats dates as YYYY-MM-DD, so ISO strings compare as dates.
  const today = new Date(nowMs).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
  if (today > g.expiry) return { allow: false, reason: 'expired' };
  return { allow: true, reason: 'ok' };
}
