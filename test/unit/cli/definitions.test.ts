/**
 * Issue 15 items 1 and 2: the option table (src/cli/definitions.ts) and the command declarations
 * built on it. Expected values are the ones the commands used before the table (barcode render:
 * 300 dpi, 3 dots, 10 mm, quiet zone 10; src/barcode MIN/MAX_QUIET_ZONE), not read from the table.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS, type OptionDefinition } from '../../../src/cli/definitions.js';
import { MAX_QUIET_ZONE } from '../../../src/barcode/render.js';
import { MIN_QUIET_ZONE } from '../../../src/barcode/code128Table.js';
import { main } from '../../../src/cli/main.js';
import { SRC, tsFiles } from '../../helpers/sourceText.js';
import { fakeContext } from '../../helpers/cli.js';

const PAYLOAD = '9747606730000001234566';

async function run(argv: string[]) {
  const ctx = fakeContext();
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}

describe('the option table', () => {
  it('--quiet-zone takes what the renderer draws: MIN_QUIET_ZONE to MAX_QUIET_ZONE', () => {
    expect(OPTIONS['quiet-zone'].number).toEqual({ integer: true, min: 10, max: 999 });
    expect([MIN_QUIET_ZONE, MAX_QUIET_ZONE]).toEqual([10, 999]);
  });

  it('every number has a rule, every enumeration its values, every option a help line', () => {
    for (const [name, d] of Object.entries(OPTIONS) as [string, OptionDefinition][]) {
      expect(d.help.length, name).toBeGreaterThan(0);
      if (d.type === 'number') expect(d.number, name).toBeDefined();
      if (d.type === 'enum') expect(d.values?.length, name).toBeGreaterThan(1);
      if (d.type === 'boolean' || d.type === 'list') expect(d.default, name).toBeUndefined();
    }
  });

  it('one --timeout rule everywhere: 0 and fractions are refused by card and stripe alike', async () => {
    for (const argv of [['card', 'read'], ['stripe', 'read'], ['reader', 'probe']]) {
      for (const v of ['0', '1.5', '-1']) {
        const r = await run([...argv, `--timeout=${v}`]);
        expect(r.status, `${argv.join(' ')} ${v}`).toBe(2);
        expect(r.err).toContain(`--timeout: expected a whole number >= 1, got "${v}"`);
      }
    }
  });
});

describe('declared commands', () => {
  it('apply the defaults the commands had: barcode render 300 dpi, 3 dots, 10 mm, quiet zone 10', async () => {
    const r = await run(['barcode', 'render', PAYLOAD, '--json']);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ payload: PAYLOAD, dpi: 300, xDots: 3, quietZone: 10 });
    expect(JSON.parse(r.out).heightMm).toBeCloseTo(10, 6);
  });

  it('find the sub-command after options and their values (hmskort barcode --dpi 600 render ...)', async () => {
    const r = await run(['barcode', '--dpi', '600', 'render', '--json', PAYLOAD]);
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ payload: PAYLOAD, dpi: 600 });
  });

  it('name the sub-commands when one is missing or unknown, exit 2', async () => {
    expect(await run(['card'])).toMatchObject({ status: 2, err: "hmskort card: usage: card needs a sub-command: encode, read, verify, void, dump\nRun 'hmskort card --help'.\n" });
    expect(await run(['stripe', 'burn'])).toMatchObject({ status: 2, err: expect.stringContaining('usage: unknown stripe sub-command "burn" (one of write, read, decode, ports)') as unknown });
  });

  it('a required enumeration that is missing says what it takes', async () => {
    const r = await run(['card', 'dump', '--image-in', 'x.json']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('--format F is required: one of mfd, proxmark, mct');
  });
});

describe('every error class says what it is (issue 15 item 2)', () => {
  /** Thrown and caught inside one module, never reaching a caller. */
  const INTERNAL = new Set(['ForeignCard' /* src/card/findKeys.ts: encoder.ts turns it into EncodeError */]);
  it('each exported Error subclass in src/ has a kind', () => {
    const missing: string[] = [];
    let seen = 0;
    for (const file of tsFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/export class (\w+) extends Error \{([\s\S]*?)\n\}/g)) {
        seen++;
        if (!INTERNAL.has(m[1]) && !/\bkind\b/.test(m[2])) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(seen).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
