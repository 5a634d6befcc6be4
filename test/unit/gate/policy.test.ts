/**
 * The policy's errors carry the offending key (issue 15 item 4): validatePolicy throws a PolicyError
 * with `key` and `path`, and parsePolicy finds the line from `key`, not from the message's wording.
 */
import { describe, expect, it } from 'vitest';
import { compilePolicy, PolicyError, validatePolicy } from '../../../src/codec/gateDecision.js';
import { HmskError } from '../../../src/codec/errors.js';
import { parsePolicy } from '../../../src/gate/policy.js';
import { GateConfigError } from '../../../src/gate/errors.js';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('validatePolicy errors name the key', () => {
  it('key, path and field for each kind of fault', () => {
    const rows: [unknown, string | undefined, (string | number)[], string][] = [
      [[], undefined, [], 'policy'],
      [{ allowedOrgs: ['974760673'], colour: 1 }, 'colour', ['colour'], 'policy'],
      [{ allowedOrgs: 'x' }, 'allowedOrgs', ['allowedOrgs'], 'policy.allowedOrgs'],
      [{ allowedOrgs: ['974760673', '974760674'] }, 'allowedOrgs', ['allowedOrgs', 1], 'policy.allowedOrgs[1]'],
      [{ allowedCategories: ['void'] }, 'allowedCategories', ['allowedCategories', 0], 'policy.allowedCategories[0]'],
    ];
    for (const [p, key, path, field] of rows) {
      const e = thrown(() => validatePolicy(p)) as PolicyError;
      expect(e).toBeInstanceOf(PolicyError);
      expect(e).toBeInstanceOf(HmskError);
      expect(e.code).toBe('INVALID_ARGUMENT');
      expect([e.key, e.path, e.where.field]).toEqual([key, path, field]);
    }
  });
});

describe('parsePolicy: the line comes from the key', () => {
  it('points at the line of the offending key', () => {
    const text = '{\n  "allowedCategories": ["cleaning"],\n  "allowedOrgs": ["123"]\n}\n';
    const e = thrown(() => parsePolicy(text, 'site.json')) as GateConfigError;
    expect(e).toBeInstanceOf(GateConfigError);
    expect([e.code, e.file, e.line]).toEqual(['POLICY_FORMAT', 'site.json', 3]);
  });

  it('finds an unknown key whose name has a quote in it (a message parser cannot)', () => {
    const text = '{\n  "allowedOrgs": [],\n  "a\\"b": 1\n}';
    const e = thrown(() => parsePolicy(text, 'p.json')) as GateConfigError;
    expect(e.line).toBe(3);
    expect(e.message).toContain('unknown key');
  });

  it('a policy that is not an object names no line', () => {
    expect((thrown(() => parsePolicy('[1]', 'p.json')) as GateConfigError).line).toBeUndefined();
  });
});

describe('maxHotlistAgeHours and staleHotlist (issue 17: the age of a followed hot list)', () => {
  it('accepts hours above 0 (fractions too) and deny / allow-flagged, and compiles them to ms', () => {
    expect(validatePolicy({ maxHotlistAgeHours: 0.5, staleHotlist: 'allow-flagged' })).toEqual({ maxHotlistAgeHours: 0.5, staleHotlist: 'allow-flagged' });
    expect(compilePolicy({ maxHotlistAgeHours: 24 })).toMatchObject({ maxHotlistAgeMs: 86_400_000, staleDeny: true });
    expect(compilePolicy({ maxHotlistAgeHours: 1, staleHotlist: 'allow-flagged' })).toMatchObject({ maxHotlistAgeMs: 3_600_000, staleDeny: false });
    expect(compilePolicy({})).toMatchObject({ maxHotlistAgeMs: Infinity });
  });

  it('refuses what is not an age or an action, naming the key and its line', () => {
    const rows: [unknown, string, string][] = [
      [{ maxHotlistAgeHours: 0 }, 'maxHotlistAgeHours', 'policy.maxHotlistAgeHours: 0 is not a number of hours above 0 and at most 87660'],
      [{ maxHotlistAgeHours: '24' }, 'maxHotlistAgeHours', 'policy.maxHotlistAgeHours: "24" is not a number of hours'],
      [{ maxHotlistAgeHours: 1e6 }, 'maxHotlistAgeHours', 'is not a number of hours above 0 and at most 87660'],
      [{ maxHotlistAgeHours: 1, staleHotlist: 'allow' }, 'staleHotlist', 'policy.staleHotlist: "allow" is not "deny" or "allow-flagged"'],
      [{ staleHotlist: 'deny' }, 'staleHotlist', 'policy.staleHotlist: needs maxHotlistAgeHours'],
    ];
    for (const [p, key, message] of rows) {
      const e = thrown(() => validatePolicy(p)) as PolicyError;
      expect(e.key).toBe(key);
      expect(e.message).toContain(message);
    }
    const e = thrown(() => parsePolicy('{\n  "allowedCategories": ["cleaning"],\n  "maxHotlistAgeHours": -1\n}', 'site.json')) as GateConfigError;
    expect([e.code, e.line]).toEqual(['POLICY_FORMAT', 3]);
  });
});
