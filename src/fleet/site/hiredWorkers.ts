/**
 * Hired workers (byggherreforskriften § 15 (c): for hired-in workers the list names the hiring
 * company, "innleid"): which company hired a worker in, from the site configuration's
 * `hiredWorkers` rules.
 *
 *   { "employerOrgNumber": "923609016", "hiringCompany": {...} }                   every worker of that agency
 *   { "cardNumbers": ["100000000029"], "hiringCompany": {...} }                     these cards' holders
 *   { "employerOrgNumber": "923609016", "cardNumbers": [...], "hiringCompany": {...} }  these cards, while their card names that employer
 *
 * The most specific rule wins: a rule naming the card beats a rule naming only its employer, so two
 * workers of one agency can be hired in by two companies. Rules are checked when the file is read:
 * a card number named twice, or an employer with two employer-only rules, would make the answer
 * depend on the order of the file, so either is an error at the second occurrence (file, line,
 * field), as every other mistake of the file.
 */
import { Bad, company, isRecord, org, type Company } from './configFields.js';

export interface HiredWorkersRule {
  /** The employer (a staffing agency) whose workers are hired in; with cardNumbers, those cards only while they name it. */
  employerOrgNumber?: string;
  /** The HMS card numbers of the hired workers (more specific than the employer alone). */
  cardNumbers?: string[];
  hiringCompany: Company;
}

const RULE_KEYS = ['employerOrgNumber', 'cardNumbers', 'hiringCompany'];
// The card number as the store holds it (src/fleet/store/eventShape.ts DIGITS_RE).
const CARD_RE = /^[0-9]{1,20}$/;

/** The checked rules of `hiredWorkers`; throws Bad with the JSON path of the first mistake. */
export function parseHiredWorkers(v: unknown): HiredWorkersRule[] {
  if (!Array.isArray(v)) throw new Bad('hiredWorkers', 'hiredWorkers: expected an array', ['hiredWorkers']);
  const cardAt = new Map<string, number>();
  const employerAt = new Map<string, number>();
  return v.map((r: unknown, i) => {
    const key = `hiredWorkers[${i}]`;
    const path = ['hiredWorkers', i];
    if (!isRecord(r)) throw new Bad(key, `${key}: expected {"employerOrgNumber" and/or "cardNumbers", "hiringCompany"}`, path);
    for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) throw new Bad(`${key}.${k}`, `${key}: unknown key ${JSON.stringify(k)} (known: ${RULE_KEYS.join(', ')})`, [...path, k]);
    if (r.employerOrgNumber === undefined && r.cardNumbers === undefined) throw new Bad(key, `${key}: expected "employerOrgNumber" or "cardNumbers" (or both)`, path);
    const rule: HiredWorkersRule = { hiringCompany: company(r.hiringCompany, `${key}.hiringCompany`, [...path, 'hiringCompany']) };
    if (r.employerOrgNumber !== undefined) rule.employerOrgNumber = org(r.employerOrgNumber, `${key}.employerOrgNumber`, [...path, 'employerOrgNumber']);
    if (r.cardNumbers !== undefined) {
      const cards = r.cardNumbers;
      if (!Array.isArray(cards) || cards.length === 0) throw new Bad(`${key}.cardNumbers`, `${key}.cardNumbers: expected a non-empty array of HMS card numbers`, [...path, 'cardNumbers']);
      rule.cardNumbers = cards.map((c: unknown, j) => {
        const field = `${key}.cardNumbers[${j}]`;
        const at = [...path, 'cardNumbers', j];
        if (typeof c !== 'string' || !CARD_RE.test(c)) throw new Bad(field, `${field}: expected an HMS card number (1..20 digits, as a string), got ${JSON.stringify(c)}`, at);
        const first = cardAt.get(c);
        if (first !== undefined) throw new Bad(field, `${field}: card ${c} is already named by hiredWorkers[${first}]: one rule per card`, at);
        cardAt.set(c, i);
        return c;
      });
    } else {
      const e = rule.employerOrgNumber as string;
      const first = employerAt.get(e);
      if (first !== undefined) throw new Bad(`${key}.employerOrgNumber`, `${key}.employerOrgNumber: employer ${e} already has the rule hiredWorkers[${first}]: one rule per employer`, [...path, 'employerOrgNumber']);
      employerAt.set(e, i);
    }
    return rule;
  });
}

/**
 * The hiring company of the worker holding `cardNumber` of employer `employerOrgNumber` (either may
 * be null: a worker added by hand has no card), when a rule names one: the rule naming the card
 * first (when it also names an employer, the card must name that employer), else the employer's rule.
 */
export function hiringCompanyOf(rules: readonly HiredWorkersRule[], employerOrgNumber: string | null, cardNumber: string | null = null): Company | undefined {
  if (cardNumber !== null) {
    const byCard = rules.find((r) => r.cardNumbers?.includes(cardNumber) && (r.employerOrgNumber === undefined || r.employerOrgNumber === employerOrgNumber));
    if (byCard) return byCard.hiringCompany;
  }
  if (employerOrgNumber === null) return undefined;
  return rules.find((r) => r.cardNumbers === undefined && r.employerOrgNumber === employerOrgNumber)?.hiringCompany;
}
