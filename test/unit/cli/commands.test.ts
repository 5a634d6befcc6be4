/**
 * Issue 15 item 1: every registered command (and sub-command) is declared on the option table of
 * src/cli/definitions.ts, so an unknown option and a bad value are refused the same way
 * everywhere (exit 2, one wording naming the option), and --help lists every option it takes.
 * Expected wordings are written out here, not taken from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, load, main } from '../../../src/cli/main.js';
import { OPTIONS, type OptionDefinition, type OptionName } from '../../../src/cli/definitions.js';
import { fakeContext } from '../../helpers/cli.js';

/** Every command is on the table now (batch since issue 15 item 7). */
const NOT_YET_DECLARED = new Set<string>([]);

async function run(argv: string[]) {
  const ctx = fakeContext();
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}

interface Target {
  argv: string[];
  options: OptionName[];
}

async function targets(): Promise<Target[]> {
  const out: Target[] = [];
  for (const name of COMMAND_NAMES) {
    if (NOT_YET_DECLARED.has(name)) continue;
    const c = (await load(name))!;
    if (c.subcommands) for (const [sub, s] of Object.entries(c.subcommands)) out.push({ argv: [name, sub], options: s.options as OptionName[] });
    else out.push({ argv: [name], options: (c.options ?? []) as OptionName[] });
  }
  return out;
}

const flag = (n: OptionName) => `--${(OPTIONS[n] as OptionDefinition).flag ?? n}`;
const all = await targets();

describe('every command is declared on the option table', () => {
  it('all registered commands', async () => {
    for (const name of COMMAND_NAMES) {
      if (NOT_YET_DECLARED.has(name)) continue;
      const c = (await load(name))!;
      expect(c.options !== undefined || c.subcommands !== undefined, name).toBe(true);
    }
    expect(all.length).toBeGreaterThan(COMMAND_NAMES.length);
  });
});

describe.each(all)('hmskort $argv', ({ argv, options }) => {
  const cmd = argv[0];
  it('refuses an unknown option: exit 2, the one wording', async () => {
    const r = await run([...argv, '--no-such-option']);
    expect(r.status).toBe(2);
    expect(r.err).toBe(`hmskort ${cmd}: usage: unknown option --no-such-option\nRun 'hmskort ${cmd} --help'.\n`);
  });

  it('refuses "abc" for every number option, naming it', async () => {
    for (const n of options.filter((o) => OPTIONS[o].type === 'number')) {
      const r = await run([...argv, flag(n), 'abc']);
      expect(r.status, n).toBe(2);
      expect(r.err, n).toMatch(new RegExp(`^hmskort ${cmd}: usage: ${flag(n)}: expected a (whole )?number[^\\n]*, got "abc"\\n`));
    }
  });

  it('refuses a value outside every enumeration, listing the allowed ones', async () => {
    for (const n of options.filter((o) => OPTIONS[o].type === 'enum')) {
      const r = await run([...argv, flag(n), 'zzz']);
      expect(r.status, n).toBe(2);
      expect(r.err, n).toContain(`usage: ${flag(n)}: one of ${(OPTIONS[n] as OptionDefinition).values!.join(', ')} (got "zzz")`);
    }
  });

  it('refuses a value given to a boolean option', async () => {
    for (const n of options.filter((o) => OPTIONS[o].type === 'boolean')) {
      const r = await run([...argv, `${flag(n)}=yes`]);
      expect(r.status, n).toBe(2);
      expect(r.err, n).toContain(`usage: ${flag(n)} takes no value`);
    }
  });

  it('--help lists every declared option', async () => {
    const r = await run([...argv, '--help']);
    expect(r.status).toBe(0);
    for (const n of options) expect(r.out, n).toMatch(new RegExp(`^  ${flag(n)}\\b`, 'm'));
  });
});
