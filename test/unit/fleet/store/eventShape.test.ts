/**
 * eventShape.ts: what a presence event must be to be stored. Every rule is checked on a value that
 * breaks only it, and the row maps back to the same PresenceEvent for any valid event (fast-check).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eventRow, eventRowFromBytes, presenceEventOf } from '../../../../src/fleet/store/eventShape.js';
import { StoreError } from '../../../../src/fleet/store/errors.js';
import { eventBytes, presenceEvent } from '../../../helpers/presenceEvents.js';
import { thrown } from '../../../helpers/thrown.js';

function malformedField(v: unknown): string | undefined {
  const e = thrown(() => eventRow(v), StoreError);
  expect(e.code).toBe('MALFORMED_EVENT');
  expect(e.kind).toBe('data');
  return e.field;
}

describe('presence event rows', () => {
  it('a gate event becomes its row, column by column', () => {
    const e = presenceEvent('g1', 7);
    expect(eventRow(e, 42)).toEqual({
      gate_id: 'g1', seq: 7, site_id: 'site1', at: e.decision.at, allow: true, reason: 'ok', error: null, uid: e.decision.uid,
      card_number: '700000000007', org_number: '974760673', category: 'construction', expiry: '2027-05-31', issue: 2,
      hotlist_rev: 107, stale: true, stream_seq: 42,
      // Migration 5: null when the event carries no hot-list age (no feed, or a gate before it).
      hotlist_age_ms: null,
      // Migration 2 (src/fleet/site/schema.ts): null when the event carries no holder fields.
      holder_name: null, birth_date: null, org_name: null,
    });
  });

  it('an instant with an offset is stored as the same instant in UTC', () => {
    const e = presenceEvent('g1', 1);
    e.decision.at = '2026-12-03T08:00:00.5+02:00';
    expect(eventRow(e).at).toBe('2026-12-03T06:00:00.500Z');
  });

  const cases: [string, (e: any) => void][] = [
    ['gateId', (e) => (e.gateId = 'g.1')],
    ['gateId', (e) => delete e.gateId],
    ['site', (e) => (e.site = 'a b')],
    ['site', (e) => (e.site = 'x'.repeat(65))],
    ['seq', (e) => (e.seq = 0)],
    ['seq', (e) => (e.seq = 1.5)],
    ['seq', (e) => (e.seq = '3')],
    ['seq', (e) => (e.seq = 2 ** 53)],
    ['hotlistRevision', (e) => (e.hotlistRevision = -1)],
    ['staleHotlist', (e) => (e.staleHotlist = 'yes')],
    ['decision', (e) => (e.decision = [])],
    ['decision.allow', (e) => (e.decision.allow = 1)],
    ['decision.reason', (e) => (e.decision.reason = 'OK\u0000')],
    ['decision.error', (e) => (e.decision.error = 'bad code')],
    ['decision.uid', (e) => (e.decision.uid = 'xyz')],
    ['decision.at', (e) => (e.decision.at = '2026-12-03 06:00:00')],
    ['decision.at', (e) => (e.decision.at = '+275760-09-13T00:00:00.000Z')],
    ['decision.at', (e) => (e.decision.at = '2026-12-03T06:00:00')],
    ['decision.cardNumber', (e) => (e.decision.cardNumber = '7000 0000')],
    ['decision.orgNumber', (e) => (e.decision.orgNumber = 974760673)],
    ['decision.expiry', (e) => (e.decision.expiry = '31.05.2027')],
    ['decision.issue', (e) => (e.decision.issue = 2 ** 31)],
  ];
  it.each(cases)('refuses a bad %s with MALFORMED_EVENT naming it', (field, breakIt) => {
    const e = structuredClone(presenceEvent('g1', 3)) as any;
    breakIt(e);
    expect(malformedField(e)).toBe(field);
  });

  it('refuses bodies that are not UTF-8 JSON objects', () => {
    for (const body of [new Uint8Array([0xff, 0xfe]), new TextEncoder().encode('{"gateId":'), new TextEncoder().encode('[1]'), new TextEncoder().encode('null')]) {
      expect(thrown(() => eventRowFromBytes(body), StoreError).code).toBe('MALFORMED_EVENT');
    }
  });

  it('row and event map both ways (any valid event)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const arb = fc.record({
      gateId: id,
      site: id,
      seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      hotlistRevision: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      stale: fc.boolean(),
      allow: fc.boolean(),
      reason: fc.constantFrom('ok', 'invalid', 'voided', 'hotlisted', 'category-not-allowed', 'org-not-allowed', 'expired'),
      error: fc.option(fc.constantFrom('BAD_CRC', 'CARD_REMOVED'), { nil: undefined }),
      at: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
      cardNumber: fc.option(fc.stringMatching(/^[0-9]{12}$/), { nil: undefined }),
      issue: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const e = {
          gateId: a.gateId, site: a.site, seq: a.seq, hotlistRevision: a.hotlistRevision, ...(a.stale ? { staleHotlist: true } : {}),
          decision: {
            allow: a.allow, reason: a.reason, uid: '04a1b2c3', at: a.at.toISOString(),
            ...(a.error ? { error: a.error } : {}), ...(a.cardNumber ? { cardNumber: a.cardNumber } : {}), ...(a.issue !== undefined ? { issue: a.issue } : {}),
          },
        } as any;
        expect(presenceEventOf(eventRowFromBytes(eventBytes(e)))).toEqual(e);
      }),
    );
  });
});
