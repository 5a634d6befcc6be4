/**
 * Hired workers per card and per employer (issue 18 part 2, byggherreforskriften § 15 (c)): the
 * most specific rule wins whatever the order of the file, and a card or employer named twice is a
 * SITE_CONFIG error at the line of the second occurrence. The files are written out below with
 * their lines, so the expected line numbers are read off the text, not computed.
 */
import { describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import { hiringCompanyOf } from '../../../../src/fleet/site/hiredWorkers.js';
import { BEMANNING, BYGG, RENHOLD } from '../../../helpers/siteDay.js';

const TAK = { name: 'Tak og Vegg AS', orgNumber: '991825827' };
const head = `{
  "siteId": "kvartal7", "name": "Kvartal 7", "address": "Storgata 7, 0155 Oslo",
  "byggherre": { "name": "Eiendom Kvartal 7 AS", "orgNumber": "971524960" },
  "hiredWorkers": [`; // lines 1-4
const co = (c: { name: string; orgNumber: string }) => `{ "name": ${JSON.stringify(c.name)}, "orgNumber": "${c.orgNumber}" }`;
const file = (rules: string[]) => `${head}\n${rules.join(',\n')}\n  ]\n}\n`;

// Line 5: every Bemanning worker is hired in by Bygg; line 6: card ...060 (a Bemanning worker) by
// Renhold; line 7: card ...078 by Tak while its card names Bemanning.
const RULES = [
  `    { "employerOrgNumber": "${BEMANNING.orgNumber}", "hiringCompany": ${co(BYGG)} }`,
  `    { "cardNumbers": ["100000000060"], "hiringCompany": ${co(RENHOLD)} }`,
  `    { "employerOrgNumber": "${BEMANNING.orgNumber}", "cardNumbers": ["100000000078", "100000000086"], "hiringCompany": ${co(TAK)} }`,
];

function refusal(source: string): Record<string, unknown> & { message: string } {
  try {
    parseSiteConfig(source, 'site.json');
  } catch (e) {
    return e as Record<string, unknown> & { message: string };
  }
  throw new Error('accepted');
}

describe('hiredWorkers: the most specific rule wins', () => {
  const answers = (rules: string[]) => {
    const { hiredWorkers } = parseSiteConfig(file(rules));
    return [
      hiringCompanyOf(hiredWorkers, BEMANNING.orgNumber, '100000000029'), // named by no card rule: the employer's rule
      hiringCompanyOf(hiredWorkers, BEMANNING.orgNumber, '100000000060'), // a card rule beats the employer's
      hiringCompanyOf(hiredWorkers, BEMANNING.orgNumber, '100000000078'), // card + employer rule, employer matches
      hiringCompanyOf(hiredWorkers, RENHOLD.orgNumber, '100000000078'), // the card now names Renhold: that rule does not apply, Renhold has none
      hiringCompanyOf(hiredWorkers, BEMANNING.orgNumber, null), // a worker added by hand (no card): the employer's rule
      hiringCompanyOf(hiredWorkers, null, '100000000060'), // a card rule without employer applies whatever the card's employer
      hiringCompanyOf(hiredWorkers, BYGG.orgNumber, '100000000011'), // no rule at all
    ];
  };
  const EXPECTED = [BYGG, RENHOLD, TAK, undefined, BYGG, RENHOLD, undefined];

  it('card rule > employer rule, in the file order written', () => {
    expect(answers(RULES)).toEqual(EXPECTED);
  });

  it('and in every other order of the rules (the order of the file decides nothing)', () => {
    const orders = [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const o of orders) expect(answers(o.map((i) => RULES[i]))).toEqual(EXPECTED);
  });

  it('parses the rules as written', () => {
    expect(parseSiteConfig(file(RULES)).hiredWorkers).toEqual([
      { employerOrgNumber: BEMANNING.orgNumber, hiringCompany: BYGG },
      { cardNumbers: ['100000000060'], hiringCompany: RENHOLD },
      { employerOrgNumber: BEMANNING.orgNumber, cardNumbers: ['100000000078', '100000000086'], hiringCompany: TAK },
    ]);
  });
});

describe('hiredWorkers: conflicts and mistakes are errors naming file, line and field', () => {
  it.each([
    ['a card named by two rules', [...RULES, `    { "cardNumbers": ["100000000060"], "hiringCompany": ${co(TAK)} }`], 8, 'hiredWorkers[3].cardNumbers[0]', /card 100000000060 is already named by hiredWorkers\[1\]/],
    ['a card named twice in one rule', [`    { "cardNumbers": ["100000000060",\n      "100000000060"], "hiringCompany": ${co(TAK)} }`], 6, 'hiredWorkers[0].cardNumbers[1]', /already named by hiredWorkers\[0\]/],
    ['two employer-only rules for one employer', [RULES[0], RULES[1], `    {\n      "employerOrgNumber": "${BEMANNING.orgNumber}",\n      "hiringCompany": ${co(TAK)} }`], 8, 'hiredWorkers[2].employerOrgNumber', /employer 923609016 already has the rule hiredWorkers\[0\]/],
    ['a rule naming neither cards nor employer', [RULES[0], `    { "hiringCompany": ${co(TAK)} }`], 6, 'hiredWorkers[1]', /expected "employerOrgNumber" or "cardNumbers"/],
    ['an empty card list', [`    { "cardNumbers": [], "hiringCompany": ${co(TAK)} }`], 5, 'hiredWorkers[0].cardNumbers', /non-empty array/],
    ['a card number as a JSON number', [RULES[0], `    { "cardNumbers": [100000000060], "hiringCompany": ${co(TAK)} }`], 6, 'hiredWorkers[1].cardNumbers[0]', /expected an HMS card number .* got 100000000060/],
    ['an unknown key in a rule', [RULES[0], RULES[1], `    { "cardNumber": ["1"], "hiringCompany": ${co(TAK)} }`], 7, 'hiredWorkers[2].cardNumber', /unknown key "cardNumber"/],
    ['a hiring company org number with a wrong check digit', [RULES[0], `    { "cardNumbers": ["1"],\n      "hiringCompany": { "name": "X AS",\n        "orgNumber": "912345678" } }`], 8, 'hiredWorkers[1].hiringCompany.orgNumber', /expected an organisation number/],
  ])('refuses %s', (_what, rules, line, field, re) => {
    const e = refusal(file(rules));
    expect(e).toMatchObject({ name: 'SiteError', code: 'SITE_CONFIG', kind: 'config', file: 'site.json', line, field });
    expect(e.message).toMatch(new RegExp(`^site\\.json:${line}: `));
    expect(e.message).toMatch(re);
  });

  it('the same card under one employer rule and a card rule is not a conflict (card rule wins)', () => {
    const cfg = parseSiteConfig(file([RULES[0], `    { "cardNumbers": ["100000000029"], "hiringCompany": ${co(TAK)} }`]));
    expect(hiringCompanyOf(cfg.hiredWorkers, BEMANNING.orgNumber, '100000000029')).toEqual(TAK);
    expect(hiringCompanyOf(cfg.hiredWorkers, BEMANNING.orgNumber, '100000000037')).toEqual(BYGG);
  });
});
