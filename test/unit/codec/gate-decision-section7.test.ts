/**
 * Spec section 7 (gate decision): the spec's `gate` examples, test-vectors/gate.json (expectations
 * stated by hand and cross-checked by an independent Python/zoneinfo implementation), the reference
 * and fast paths against each other on random inputs, and the allocation-free Oslo calendar against
 * Intl over random instants and every DST transition of 1996..2099.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  compilePolicy,
  decideGate,
  decideGateFast,
  decisionOf,
  hotlistEntryProblem,
  hotlistFromEntries,
  validatePolicy,
  type GatePolicy,
  type HotlistEntry,
} from '../../../src/codec/gateDecision.js';
import { newGateBlockOut } from '../../../src/codec/gateBlockDecode.js';
import { OsloCalendar, daysFromCivil, osloDayIntl, osloOffsetIntl, osloRuleMatchesIntl, yearOfDays } from '../../../src/codec/osloCalendar.js';
import { handler as gateKind, parseInstant } from '../../../src/vectors/kinds/gate.js';
import { encodeRecord } from '../../../src/codec/record.js';
import { fromHex as hex } from '../../helpers/hex.js';

const root = resolve(import.meta.dirname, '../../..');
const DAY = 86_400_000;
interface V {
  id: string;
  kind: string;
  input: Record<string, unknown>;
  expect: Record<string, unknown>;
}
const load = (p: string): V[] => (JSON.parse(readFileSync(p, 'utf8')) as { vectors: V[] }).vectors.filter((v) => v.kind === 'gate');

describe('spec examples, kind gate', () => {
  const vs = load(resolve(root, 'test-vectors/spec-examples.json'));
  it('has the three examples', () => expect(vs.map((v) => v.id)).toEqual(['gate-ok', 'gate-expired-after-oslo-midnight', 'gate-hotlisted']));
  for (const v of vs)
    it(v.id, () => {
      const i = v.input as { gateBlock: string; now: string; hotlist: HotlistEntry[]; policy: GatePolicy };
      expect(decideGate(hex(i.gateBlock), parseInstant(i.now), i.hotlist, i.policy)).toEqual(v.expect);
    });
});

describe('test-vectors/gate.json through the vector kind (reference and fast path must agree)', () => {
  for (const v of load(resolve(root, 'test-vectors/gate.json'))) it(v.id, async () => expect(await gateKind(v.input)).toEqual(v.expect));
});

describe('Oslo calendar (section 7 rule 6)', () => {
  it('daysFromCivil / yearOfDays agree with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (d) => {
        const dt = new Date(d * DAY);
        expect(daysFromCivil(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate())).toBe(d);
        expect(yearOfDays(d)).toBe(dt.getUTCFullYear());
      }),
      { numRuns: 5000 },
    );
  });

  it('published offsets: CET in winter, CEST in summer (Europe/Oslo, IANA tzdata)', () => {
    expect(osloOffsetIntl(Date.UTC(2027, 0, 15))).toBe(3_600_000);
    expect(osloOffsetIntl(Date.UTC(2027, 6, 15))).toBe(7_200_000);
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC (last Sundays).
    expect(osloOffsetIntl(Date.UTC(2026, 2, 29, 0, 59, 59))).toBe(3_600_000);
    expect(osloOffsetIntl(Date.UTC(2026, 2, 29, 1))).toBe(7_200_000);
    expect(osloOffsetIntl(Date.UTC(2026, 9, 25, 0, 59, 59))).toBe(7_200_000);
    expect(osloOffsetIntl(Date.UTC(2026, 9, 25, 1))).toBe(3_600_000);
  });

  it('the summer-time rule matches the zone data at every transition 1996..2099', () => expect(osloRuleMatchesIntl()).toBe(true));

  it('agrees with Intl around every Oslo midnight and every transition, 1996..2099, walking forward', () => {
    const cal = new OsloCalendar();
    const H = 3_600_000;
    for (let y = 1996; y <= 2099; y++) {
      // Last Sundays fall on the 25th..31st; Oslo midnight is 22:00 or 23:00 UTC; transitions 01:00 UTC.
      for (const [m, first] of [[3, 24], [10, 24], [12, 30]]) {
        for (let d = daysFromCivil(y, m, first); d < daysFromCivil(y, m, first) + 9; d++) {
          for (const t of [d * DAY - 2 * H, d * DAY - H, d * DAY + H, d * DAY + 12 * H]) {
            for (const dt of [-1, 0, 1]) expect(cal.day(t + dt)).toBe(osloDayIntl(t + dt));
          }
        }
      }
    }
  });

  it('agrees with Intl over random instants 1900..2300 (rule range and Intl fallback)', () => {
    const cal = new OsloCalendar();
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2300, 0, 1) }), (t) => {
        expect(cal.day(t)).toBe(osloDayIntl(t));
      }),
      { numRuns: 8_000 },
    );
  });

  it('agrees with Intl on random instants near Oslo midnights (cache boundaries)', () => {
    const cal = new OsloCalendar();
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1996, 1, 2), max: daysFromCivil(2099, 12, 30) }), fc.integer({ min: -3 * 3_600_000, max: 0 }), (d, off) => {
        const t = d * DAY + off;
        expect(cal.day(t)).toBe(osloDayIntl(t));
        expect(cal.day(t - 1)).toBe(osloDayIntl(t - 1));
      }),
      { numRuns: 10_000 },
    );
  });

  it('rejects a non-instant', () => {
    expect(() => osloDayIntl(NaN)).toThrow(RangeError);
    expect(() => parseInstant('2028-06-30T12:00:00')).toThrow(/instant/);
  });
});

describe('reference and fast decision agree on random inputs', () => {
  const cards = [1, 42, 123456, 999_999_999_999, 2 ** 32 + 7];
  const orgs = ['974760673', '123456785', '012345674'];
  const holder = fc.record({
    category: fc.constantFrom('construction' as const, 'cleaning' as const),
    cardNumber: fc.constantFrom(...cards).map(String),
    orgNumber: fc.constantFrom(...orgs),
    expiry: fc.integer({ min: daysFromCivil(2000, 1, 1), max: daysFromCivil(2099, 12, 31) }).map((d) => new Date(d * DAY).toISOString().slice(0, 10)),
    issue: fc.integer({ min: 0, max: 255 }),
  });
  const block = fc.oneof(
    holder.map((h) => encodeRecord({ ...h, orgName: 'A', givenName: 'B', familyName: 'C', birthDate: '1980-01-01', gender: 'X' }).slice(0, 16)),
    holder.map((h) => {
      const b = encodeRecord({ ...h, orgName: 'A', givenName: 'B', familyName: 'C', birthDate: '1980-01-01', gender: 'X' }).slice(0, 16);
      b[1] = 0x1f; // void, with the CRC left stale half of the time below
      return b;
    }),
    fc.uint8Array({ minLength: 0, maxLength: 18 }),
  );
  const entry = fc.record(
    { cardNumber: fc.constantFrom(...cards).map((c) => '00'.slice(0, c % 3) + c), status: fc.constantFrom('lost' as const, 'stolen' as const), minIssue: fc.integer({ min: 0, max: 255 }) },
    { requiredKeys: ['cardNumber', 'status'] },
  );
  const policy = fc.record({ allowedOrgs: fc.subarray(orgs), allowedCategories: fc.subarray(['construction', 'cleaning'] as const).map((a) => [...a]) }, { requiredKeys: [] });

  it('10 000 random taps', () => {
    const cal = new OsloCalendar();
    const out = { fields: newGateBlockOut(), status: 0 };
    fc.assert(
      fc.property(block, fc.integer({ min: Date.UTC(1999, 0, 1), max: Date.UTC(2101, 0, 1) }), fc.array(entry, { maxLength: 4 }), policy, (b, now, hot, pol) => {
        const ref = decideGate(b, now, hot, pol);
        const fast = decisionOf(decideGateFast(b, now, hotlistFromEntries(hot), compilePolicy(pol), cal, out), out.status);
        expect(fast).toEqual(ref);
      }),
      { numRuns: 10_000 },
    );
  });
});

describe('inputs are validated', () => {
  it('policy', () => {
    expect(validatePolicy({ allowedOrgs: ['974760673'] })).toEqual({ allowedOrgs: ['974760673'] });
    expect(() => validatePolicy({ allowedOrgs: ['974760674'] })).toThrow(/allowedOrgs\[0\]/);
    expect(() => validatePolicy({ allowedOrgs: [974760673] })).toThrow(/allowedOrgs\[0\]/);
    expect(() => validatePolicy({ allowedCategories: ['void'] })).toThrow(/allowedCategories\[0\]/);
    expect(() => validatePolicy({ allowedOrg: [] })).toThrow(/unknown key "allowedOrg"/);
    expect(() => validatePolicy([])).toThrow(/not a JSON object/);
  });
  it('hot-list entries', () => {
    expect(hotlistEntryProblem({ cardNumber: '0042', status: 'lost' })).toBeUndefined();
    expect(hotlistEntryProblem({ cardNumber: '0', status: 'lost' })).toMatch(/cardNumber/);
    expect(hotlistEntryProblem({ cardNumber: '1000000000000', status: 'lost' })).toMatch(/cardNumber/);
    expect(hotlistEntryProblem({ cardNumber: '12a', status: 'lost' })).toMatch(/cardNumber/);
    expect(hotlistEntryProblem({ cardNumber: '42', status: 'found' })).toMatch(/status/);
    expect(hotlistEntryProblem({ cardNumber: '42', status: 'lost', minIssue: 256 })).toMatch(/minIssue/);
    expect(() => hotlistFromEntries([{ cardNumber: 'x', status: 'lost' }])).toThrow(/hotlist\[0\]/);
  });
});
