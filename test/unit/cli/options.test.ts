/**
 * Issue 15 item 1, the rules that moved into the option table (src/cli/definitions.ts, parsed by
 * src/cli/options.ts and src/cli/declare.ts): the `--uid` length rule, the wording of a missing
 * required option, and `simulate --profile` as its own entry. Expected lengths come from the UID
 * sizes of ISO/IEC 14443-3 (single 4, double 7, triple 10 bytes) and what each command documented
 * before the move (card images take 10 bytes; a virtual MIFARE Classic 1K 4 or 7); the messages are
 * the ones the commands printed before.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, load, main } from '../../../src/cli/main.js';
import { OPTIONS } from '../../../src/cli/definitions.js';
import { hexOption, requiredMessage } from '../../../src/cli/options.js';
import { EMULATED_FAMILIES } from '../../../src/drivers/vpcd/profiles.js';
import { fakeContext } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'orders.csv'), 'category\n');

async function run(argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}

/** Every command that takes --uid, with the UID lengths it accepts. */
const UID_COMMANDS: [string[], string][] = [
  [['card', 'encode', 'h.json'], '4 or 7'],
  [['card', 'read'], '4 or 7'],
  [['card', 'void'], '4 or 7'],
  [['card', 'verify', 'd.json'], '4 or 7 or 10'],
  [['card', 'dump'], '4 or 7'], // the virtual card on --reader virtual
  [['gate'], '4 or 7'],
  [['simulate'], '4 or 7'],
  [['reader', 'probe', '--reader', 'emulated:acs'], '4 or 7'],
  [['encode', 'h.json'], '4 or 7 or 10'],
];

describe('--uid: one parser, one wording, the lengths as the rule', () => {
  for (const [argv, lengths] of UID_COMMANDS) {
    it(`${argv.slice(0, 2).join(' ')} refuses a 5-byte UID: exit 2, "--uid: 5 bytes, expected ${lengths}"`, async () => {
      const r = await run([...argv, '--uid', '0102030405']);
      expect(r.status, r.err).toBe(2);
      expect(r.err).toContain(`usage: --uid: 5 bytes, expected ${lengths}\n`);
      const notHex = await run([...argv, '--uid', '04zz']);
      expect(notHex.status).toBe(2);
      expect(notHex.err).toContain('usage: --uid: not a hex string\n');
    });
  }

  it('the list above is every command with --uid (a new one is added here on purpose)', async () => {
    const withUid: string[] = [];
    for (const name of COMMAND_NAMES) {
      const c = (await load(name))!;
      if (c.subcommands) for (const [sub, s] of Object.entries(c.subcommands)) if (s.options.includes('uid')) withUid.push(`${name} ${sub}`);
      if (c.options?.includes('uid')) withUid.push(name);
    }
    const listed = UID_COMMANDS.map(([a]) => (a[1] && /^[a-z]+$/.test(a[1]) ? `${a[0]} ${a[1]}` : a[0]));
    expect(withUid.sort()).toEqual(listed.sort());
  });

  it('hexOption: spaces and colons allowed, lengths checked, undefined when not given', () => {
    expect(hexOption('04:a1:b2:c3', '--uid', [4, 7])).toEqual(new Uint8Array([4, 0xa1, 0xb2, 0xc3]));
    expect(hexOption('04 11 22 33 44 55 66', '--uid', [4, 7])?.length).toBe(7);
    expect(hexOption(undefined, '--uid', [4, 7])).toBeUndefined();
    expect(() => hexOption('0102030405', '--uid', [4, 7])).toThrow(/^--uid: 5 bytes, expected 4 or 7$/);
    expect(OPTIONS.uid.bytes).toEqual([4, 7]);
  });

  it('a 7-byte UID is accepted where 4 or 7 are (reader probe on an emulated reader reports it)', async () => {
    const r = await run(['reader', 'probe', '--reader', 'emulated:acs', '--uid', '04112233445566', '--json']);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out).observed.uid).toBe('04112233445566');
    const d = await run(['reader', 'probe', '--reader', 'emulated:acs', '--json']);
    expect(JSON.parse(d.out).observed.uid).toBe('04a1b2c3'); // DEFAULT_VIRTUAL_UID
  });
});

describe('a missing required option: one wording, "--X VALUE is required"', () => {
  const cases: [string[], string][] = [
    [['card', 'read'], '--keys FILE is required'],
    [['card', 'read', '--keys', 'k.json'], '--reader R is required'],
    [['card', 'encode', 'h.json', '--keys', 'k.json'], '--reader R is required'],
    [['card', 'void', '--keys', 'k.json'], '--reader R is required'],
    [['gate', '--keys', 'k.json'], '--reader R is required'],
    [['gate', '--reader', 'virtual'], '--keys FILE is required'],
    [['lab', 'verify', '--reader', 'virtual', '--keys', 'k.json'], '--vectors FILE is required'],
    [['lab', 'verify', '--vectors', 'v.json', '--keys', 'k.json'], '--reader R is required'],
    [['batch', 'orders.csv', '--reader', 'virtual', '--journal', 'j'], '--keys FILE is required'],
    [['batch', 'orders.csv', '--keys', 'k.json', '--journal', 'j'], '--reader pcsc[:NAME]|virtual is required'],
    [['batch', 'orders.csv', '--keys', 'k.json', '--reader', 'virtual'], '--journal FILE is required'],
    [['card', 'dump', '--image-in', 'x.json'], '--format F is required: one of mfd, proxmark, mct'],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')}: ${message}`, async () => {
      const r = await run(argv);
      expect(r.status, r.err).toBe(2);
      expect(r.err).toBe(`hmskort ${argv[0]}: usage: ${message}\nRun 'hmskort ${argv[0]} --help'.\n`);
    });
  }

  it('a malformed value is reported before a missing option', async () => {
    const r = await run(['card', 'read', '--timeout=0']);
    expect(r.err).toContain('--timeout: expected a whole number >= 1, got "0"');
  });

  it('requiredMessage, and the usage line writes a required option without brackets', async () => {
    expect(requiredMessage('--journal', 'FILE')).toBe('--journal FILE is required');
    expect(requiredMessage('--format', 'F', ['mfd', 'mct'])).toBe('--format F is required: one of mfd, mct');
    const help = (await run(['batch', '--help'])).out;
    expect(help).toMatch(/ --journal FILE /);
    expect(help).not.toMatch(/\[--journal FILE\]/);
    expect(help).toMatch(/\[--stripe PORT\]/);
  });
});

describe('simulate --profile: its own table entry (an emulated firmware family, not a PC/SC profile)', () => {
  it('the entry takes the emulated families; --profile of the other commands stays free text', () => {
    expect(OPTIONS.firmware).toMatchObject({ type: 'enum', flag: 'profile', values: EMULATED_FAMILIES, default: 'acs' });
    expect([...EMULATED_FAMILIES]).toEqual(['acs', 'identiv', 'omnikey']);
    expect(OPTIONS.profile.type).toBe('string');
  });

  it('an unknown family is refused when the arguments are parsed, before vpcd is reached', async () => {
    const r = await run(['simulate', '--profile', 'pn533', '--port', '1']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('usage: --profile: one of acs, identiv, omnikey (got "pn533")');
  });
});
