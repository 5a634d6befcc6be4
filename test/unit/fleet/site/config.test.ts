/**
 * The site configuration file (issue 18 part 2): accepted with its defaults, and each mistake refused
 * as SiteError SITE_CONFIG naming the file, the line of the key and what was expected.
 */
import { describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import { SITE_A_JSON } from '../../../helpers/siteDay.js';

const text = (o: unknown) => JSON.stringify(o, null, 2);

describe('site configuration', () => {
  it('accepts the fixture and defaults raw event retention to 30 days', () => {
    expect(parseSiteConfig(text(SITE_A_JSON), 'a.json')).toEqual({ ...SITE_A_JSON, rawEventRetentionDays: 30, gateDirections: {} });
    const { hiredWorkers: _h, buildingWorkEnd: _b, ...bare } = SITE_A_JSON;
    expect(parseSiteConfig(text(bare))).toEqual({ ...bare, rawEventRetentionDays: 30, hiredWorkers: [], gateDirections: {} });
  });

  it.each([
    ['a site id that is no NATS token', { siteId: 'kvartal.7' }, 2, /siteId: expected/],
    // The line of the wrong value itself (7), not of its object's key "byggherre" (5).
    ['a byggherre org number with a wrong check digit', { byggherre: { name: 'X AS', orgNumber: '912345678' } }, 7, /byggherre\.orgNumber: expected an organisation number .*"912345678"/],
    ['an empty address', { address: ' ' }, 4, /address: expected text/],
    ['a work end that is no calendar day', { buildingWorkEnd: '2026-02-30' }, 9, /buildingWorkEnd: expected a date YYYY-MM-DD, got "2026-02-30"/],
    ['zero retention days', { rawEventRetentionDays: 0 }, 19, /rawEventRetentionDays: expected a whole number of days 1\.\.3650, got 0/],
    ['a hiring rule without a company', { hiredWorkers: [{ employerOrgNumber: '923609016' }] }, 11, /hiredWorkers\[0\]\.hiringCompany: expected/],
    ['an unknown key', { retentionDays: 5 }, 19, /unknown key "retentionDays"/],
    ['a gate direction other than Inn or Ut', { gateDirections: { 'kvartal7-north': 'in' } }, 19, /gateDirections\.kvartal7-north: expected "Inn" or "Ut", got "in"/],
    ['a gate direction for no gate id', { gateDirections: { 'north gate': 'Ut' } }, 19, /gateDirections: "north gate" is not a gate id/],
    ['an empty HMSREG number', { hmsregNumber: '' }, 19, /hmsregNumber: expected text of 1\.\.40/],
  ])('refuses %s, with the file and line', (_name, change, line, re) => {
    const source = text({ ...SITE_A_JSON, ...change });
    let err: unknown;
    try {
      parseSiteConfig(source, 'site.json');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ name: 'SiteError', code: 'SITE_CONFIG', kind: 'config', file: 'site.json', line });
    expect((err as Error).message).toMatch(new RegExp(`^site\\.json:${line}: `));
    expect((err as Error).message).toMatch(re);
  });

  it("a wrong top-level name written after the byggherre's name: the line of the top-level one", () => {
    const { name: _n, byggherre, ...rest } = SITE_A_JSON;
    const source = text({ byggherre, ...rest, name: ' ' });
    const lines = source.split('\n');
    const byggherreName = lines.findIndex((l) => l.startsWith('    "name"')) + 1;
    const topName = lines.findIndex((l) => l.startsWith('  "name"')) + 1;
    expect(byggherreName).toBe(3);
    expect(topName).toBeGreaterThan(byggherreName);
    expect(() => parseSiteConfig(source, 'site.json')).toThrow(new RegExp(`^site\\.json:${topName}: name: expected text`));
  });

  it('refuses text that is not JSON with the line where it stops', () => {
    expect(() => parseSiteConfig('{\n  "siteId": "a",\n  "name": ,\n}', 's.json')).toThrow(/^s\.json:3: not valid JSON/);
  });
});
