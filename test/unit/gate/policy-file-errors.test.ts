/**
 * What an operator reads when the site policy file is wrong (gate/policy.ts): the code, the file,
 * the line (1-based, counted by hand in each text below) and the message's lead-in, for text that
 * is not JSON, for JSON that is not a policy, and for a file that cannot be read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyFile, parsePolicy } from '../../../src/gate/policy.js';
import { GateConfigError, lineAt } from '../../../src/gate/errors.js';
import { thrown as thrownAs } from '../../helpers/thrown.js';

/** What `f` throws, checked to be a GateConfigError. */
const thrown = (f: () => unknown): GateConfigError => thrownAs(f, GateConfigError);

describe('parsePolicy: text that is not JSON', () => {
  it('names the file and the line of the syntax error', () => {
    // line 1 "{", line 2 the array with a trailing comma: the ] on line 2 is where it stops.
    const e = thrown(() => parsePolicy('{\n  "allowedOrgs": [1,]\n}\n', 'site.json'));
    expect([e.code, e.kind, e.file, e.line]).toEqual(['POLICY_FORMAT', 'config', 'site.json', 2]);
    expect(e.message).toMatch(/^site\.json:2: not valid JSON: /);
    expect(e.cause).toBeInstanceOf(SyntaxError);
  });

  it('an error at the first character is on line 1', () => {
    const e = thrown(() => parsePolicy('x', 'p.json'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^p\.json:1: not valid JSON: /);
  });

  it('the file is called "policy" when the caller names none', () => {
    expect(thrown(() => parsePolicy('{')).message).toMatch(/^policy:1: not valid JSON: /);
  });
});

describe('parsePolicy: JSON that is not a policy', () => {
  it('names the file and the line of the offending key', () => {
    const e = thrown(() => parsePolicy('{\n\n  "colour": 1\n}', 'p.json'));
    expect([e.code, e.file, e.line]).toEqual(['POLICY_FORMAT', 'p.json', 3]);
    expect(e.message).toMatch(/^p\.json:3: /);
    expect(e.message).toContain('colour');
  });
  it('a key on line 1 gives line 1', () => {
    const e = thrown(() => parsePolicy('{"colour": 1}', 'p.json'));
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/^p\.json:1: /);
  });
  it('no key, no line, and no ":" after the file name', () => {
    const e = thrown(() => parsePolicy('[]', 'p.json'));
    expect(e.line).toBeUndefined();
    expect(e.message).toMatch(/^p\.json: [^0-9]/);
  });
  it('arguments of the wrong type name the function and the argument', () => {
    expect(() => parsePolicy(1 as never)).toThrow(/parsePolicy: text /);
    expect(() => parsePolicy('{}', 1 as never)).toThrow(/parsePolicy: file /);
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-policy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a file that is not there: FILE_UNREADABLE (a device error), naming the path', async () => {
    const path = join(dir, 'missing.json');
    const e = (await loadPolicyFile(path).catch((x: unknown) => x)) as GateConfigError;
    expect(e).toBeInstanceOf(GateConfigError);
    expect([e.code, e.kind, e.file]).toEqual(['FILE_UNREADABLE', 'device', path]);
    expect(e.message.startsWith(`${path}: `)).toBe(true);
    expect((e.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
  it('a file that is there is read and checked under its own path', async () => {
    const path = join(dir, 'p.json');
    writeFileSync(path, '{"allowedCategories": ["cleaning"]}');
    expect(await loadPolicyFile(path)).toEqual({ allowedCategories: ['cleaning'] });
    writeFileSync(path, '{\n"x": 1}');
    const e = (await loadPolicyFile(path).catch((x: unknown) => x)) as GateConfigError;
    expect([e.code, e.file, e.line]).toEqual(['POLICY_FORMAT', path, 2]);
    await expect(loadPolicyFile(3 as never)).rejects.toThrow(/loadPolicyFile: path /);
  });
});

describe('GateConfigError and lineAt (gate/errors.ts)', () => {
  it('carries a cause only when given one; FILE_UNREADABLE is a device error, the rest config', () => {
    expect('cause' in new GateConfigError('POLICY_FORMAT', 'm')).toBe(false);
    expect(new GateConfigError('POLICY_FORMAT', 'm').kind).toBe('config');
    expect(new GateConfigError('FILE_UNREADABLE', 'm').kind).toBe('device');
    expect(new GateConfigError('POLICY_FORMAT', 'm').name).toBe('GateConfigError');
  });
  it('lineAt: the 1-based line of a byte offset, counted by hand', () => {
    const b = new TextEncoder().encode('ab\ncd\n\nef');
    // a0 b1 \n2 c3 d4 \n5 \n6 e7 f8: the \n at offset 2 is still line 1; c at 3 is line 2.
    expect([0, 2, 3, 5, 6, 7, 8].map((o) => lineAt(b, o))).toEqual([1, 1, 2, 2, 3, 4, 4]);
    expect(lineAt(b, 100)).toBe(4); // past the end: the last line
    expect(() => lineAt([] as never, 0)).toThrow(/lineAt: bytes /);
    expect(() => lineAt(b, -1)).toThrow(/lineAt: offset /);
  });
});
