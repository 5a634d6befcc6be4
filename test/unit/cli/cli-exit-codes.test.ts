/**
 * Issue 19 items 9, 15 and 16: one exit-status table for every command. Command-line mistakes exit
 * 2 with a message naming the option (never Node's parseArgs text, no TypeError with --verbose);
 * bad input files exit 3 on every command that reads them; the table printed by `hmskort --help`
 * is the README's. The expected statuses are the documented table (src/cli/command.ts EXIT), not
 * what the code happens to return.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { EXIT_TABLE } from '../../../src/cli/command.js';
import { fakeContext } from '../../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-exit-'));
const holder = (JSON.parse(readFileSync(new URL('../../../test-vectors/holder.json', import.meta.url), 'utf8')) as { vectors: { input: { holder: object } }[] }).vectors[0].input.holder;
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};
const BLOCK = '00'.repeat(16);
file('holder.json', JSON.stringify(holder));
file('holder-Issue.json', JSON.stringify({ ...holder, Issue: 3 }));
file('not-json.json', '{"category": "construction", ');
file('blocks-63.json', JSON.stringify({ blocks: Array(63).fill(BLOCK) }));
file('keys-not-json.json', '{readMaster: 1}');
const cols = ['category', 'cardNumber', 'orgNumber', 'orgName', 'givenName', 'familyName', 'birthDate', 'gender', 'expiry', 'issue'];
file('orders.csv', `${cols.join(',')}\n${cols.map((c) => String((holder as Record<string, unknown>)[c])).join(',')}\n`);
file('keys.json', JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));

async function run(argv: string[]): Promise<{ status: number; err: string; out: string }> {
  const ctx = fakeContext({ cwd: dir });
  const status = await main(argv, ctx);
  return { status, err: ctx.err(), out: ctx.out() };
}

describe('command-line mistakes exit 2 and name the option (item 15)', () => {
  const cases: [string[], RegExp][] = [
    [['barcode', 'check', 'x.png', '--dpi', '-5'], /--dpi needs a value/],
    [['barcode', 'check', 'x.png', '--min-grade', '-1'], /--min-grade needs a value/],
    [['barcode', 'check', 'x.png', '--min-grade=-1'], /--min-grade: expected a number from 0 to 4/],
    [['barcode', 'render', '9747606730000001234566', '--dpi=abc'], /--dpi: expected a number/],
    [['card', 'read', '--nope'], /unknown option --nope/],
    [['card', 'read', '--keys'], /--keys needs a value/],
    [['card', 'read', '--json=yes'], /--json takes no value/],
    [['gate', '--reader', 'virtual', '--keys', 'keys.json', '--log-max-bytes=-5'], /--log-max-bytes: expected a whole number >= 1/],
    [['simulate', '--port=70000'], /--port: expected a whole number from 1 to 65535/],
    [['encode', 'holder.json', '--truncate=1'], /--truncate takes no value/],
    [['vectors', '--kind'], /--kind needs a value/],
    [['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl', '--virtual-delay-ms=abc'], /--virtual-delay-ms: expected a number >= 0, got "abc"/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      for (const verbose of [false, true]) {
        const r = await run(verbose ? [...argv, '--verbose'] : argv);
        expect(r.status, r.err).toBe(2);
        expect(r.err).toMatch(message);
        // Node's own parseArgs wording and error class never reach the user.
        expect(r.err).not.toMatch(/TypeError|ERR_PARSE_ARGS|Did you forget|To specify an option argument/);
      }
    });
  }
});

describe('bad input files exit 3 on every command (item 16)', () => {
  const cases: [string[], RegExp][] = [
    [['encode', 'not-json.json'], /not-json\.json is not valid JSON/],
    [['barcode', 'render', 'not-json.json'], /not-json\.json is not valid JSON/],
    [['card', 'read', '--keys', 'keys-not-json.json', '--reader', 'virtual'], /keys-not-json\.json is not valid JSON/],
    [['card', 'verify', 'blocks-63.json'], /blocks-63\.json: expected \{"blocks": \[64 hex strings\]\}, got 63 blocks/],
    [['gate', '--reader', 'virtual', '--keys', 'keys.json', '--image-in', 'blocks-63.json', '--once'], /blocks-63\.json: expected \{"blocks": \[64 hex strings\]\}/],
    [['card', 'verify', 'not-json.json'], /dump/],
    [['vectors', '--kind', 'encode', 'not-json.json'], /not valid JSON/],
  ];
  for (const [argv, message] of cases) {
    it(argv.join(' '), async () => {
      const r = await run(argv);
      // vectors reports an unreadable file as a failed run (its documented exit 1), the others exit 3.
      expect(r.status, r.err).toBe(argv[0] === 'vectors' ? 1 : 3);
      expect(r.err + r.out).toMatch(message);
      expect(r.err).not.toMatch(/FileType|TypeError/);
    });
  }
});

describe('unknown keys of a holder JSON are refused, naming the key (item 9)', () => {
  it('encode, barcode render, card encode: "Issue" is not "issue"', async () => {
    for (const argv of [
      ['encode', 'holder-Issue.json'],
      ['barcode', 'render', 'holder-Issue.json'],
      ['card', 'encode', 'holder-Issue.json', '--keys', 'keys.json', '--reader', 'virtual'],
    ]) {
      const r = await run(argv);
      expect(r.status, `${argv.join(' ')}: ${r.err}`).toBe(3);
      expect(r.err).toMatch(/unknown holder field "Issue"/);
    }
    expect((await run(['encode', 'holder.json', '--json'])).status).toBe(0);
  });
});

describe('one exit-status table (items 15, 16)', () => {
  it('hmskort --help prints EXIT_TABLE, and the README shows the same rows', async () => {
    const help = (await run(['--help'])).out;
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const [code, what] of EXIT_TABLE) {
      expect(help).toContain(`  ${code}  ${what}`);
      expect(readme).toContain(`| ${code} | ${what} |`);
    }
    expect(EXIT_TABLE.map(([c]) => c)).toEqual([0, 1, 2, 3, 4]);
  });
});
