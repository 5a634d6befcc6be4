/**
 * `hmskort barcode render|check` and `hmskort card-back`, run in-process through main() with the
 * spec example holders (expected payloads from test-vectors/spec-examples.json).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../../../src/cli/main.js';
import type { CliCommand } from '../../../src/cli/command.js';
import { command as barcode } from '../../../src/cli/commands/barcode.js';
import { command as cardBack } from '../../../src/cli/commands/cardBack.js';
import { fakeContext } from '../../helpers/cli.js';
import { decodeImage, encodeJpeg, encodePng } from '../../../src/barcode/image.js';
import { findChromium } from '../../../src/barcode/chromium.js';

const chromium = await findChromium();

const dir = mkdtempSync(join(tmpdir(), 'hmskort-barcode-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const examples = JSON.parse(readFileSync(new URL('../../../test-vectors/spec-examples.json', import.meta.url), 'utf8')) as {
  vectors: { id: string; input: { holder: unknown }; expect: { barcode?: string } }[];
};
const v1 = examples.vectors.find((v) => v.id === 'encode-construction')!;
const v2 = examples.vectors.find((v) => v.id === 'encode-cleaning-leading-zeros')!;
writeFileSync(join(dir, 'h1.json'), JSON.stringify(v1.input.holder));
writeFileSync(join(dir, 'h2.json'), JSON.stringify(v2.input.holder));

// main()'s `import(\`./commands/${file}.js\`)` does not resolve to .ts under vitest (vite's
// dynamic-import-vars globs *.js), so the commands are imported directly and errors mapped to exit
// statuses by main.ts's own describeError, as main() does.
const COMMANDS: Record<string, CliCommand> = { barcode, 'card-back': cardBack };
async function run(...argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  let status: number;
  try {
    status = await COMMANDS[argv[0]].run(argv.slice(1), ctx);
  } catch (e) {
    const d = describeError(e);
    ctx.stderr(d.line + '\n');
    status = d.status;
  }
  return { status, out: ctx.out(), err: ctx.err() };
}

describe('hmskort barcode', () => {
  it('renders PNG and SVG and checks them back with a grade', async () => {
    const r = await run('barcode', 'render', 'h1.json', '--png', 'b.png', '--svg', 'b.svg', '--dpi', '300', '--x-dots', '3');
    expect(r.status).toBe(0);
    expect(r.out).toContain(`payload   ${v1.expect.barcode}`);
    expect(r.out).toContain('0.2540 mm');
    expect(readFileSync(join(dir, 'b.svg'), 'utf8')).toMatch(/width="44\.704mm"/);
    const c = await run('barcode', 'check', 'b.png', '--expect', 'h1.json', '--json');
    expect(c.status).toBe(0);
    const rep = JSON.parse(c.out);
    expect(rep).toMatchObject({ payload: v1.expect.barcode, valid: true, match: true, fields: { orgNumber: '974760673', cardNumber: '123456' } });
    expect(rep.grade).toMatchObject({ grade: 4, letter: 'A', formatted: '4.0/-/-', dpi: 300 });
    const t = await run('barcode', 'check', 'b.png', '--aperture', '5', '--wavelength', '660');
    expect(t.out).toMatch(/grade {5}4\.0\/05\/660 \(A\)/);
    expect(t.out.split('\n').filter((l) => /^ +\d+ +\d+ /.test(l))).toHaveLength(10);
  });

  it('exits 1 on a payload mismatch or a grade below --min-grade', async () => {
    await run('barcode', 'render', v2.expect.barcode!, '--png', 'b2.png');
    expect((await run('barcode', 'check', 'b2.png', '--expect', 'h1.json')).status).toBe(1);
    const out = await run('barcode', 'check', 'b2.png', '--expect', 'h1.json');
    expect(out.out).toContain('MISMATCH');
    // A JPEG at quality 30 still reads.
    writeFileSync(join(dir, 'b2.jpg'), encodeJpeg(decodeImage(readFileSync(join(dir, 'b2.png'))), 30));
    expect((await run('barcode', 'check', 'b2.jpg', '--expect', 'h2.json')).status).toBe(0);
    // Bars printed grey (reflectance 60 %, symbol contrast about 40 %: ISO/IEC 15416 grade C) read,
    // and fail --min-grade 4 (--min-grade runs 0..4: 4.1 is a usage error now).
    const grey = decodeImage(readFileSync(join(dir, 'b2.png')));
    for (let i = 0; i < grey.data.length; i++) if (i % 4 !== 3) grey.data[i] = Math.max(grey.data[i], 150);
    writeFileSync(join(dir, 'b2-grey.png'), encodePng(grey));
    expect(JSON.parse((await run('barcode', 'check', 'b2-grey.png', '--json')).out).grade.grade).toBeLessThan(4);
    expect((await run('barcode', 'check', 'b2-grey.png', '--expect', 'h2.json')).status).toBe(0);
    expect((await run('barcode', 'check', 'b2-grey.png', '--min-grade', '4')).status).toBe(1);
  });

  it('reports an image without a barcode as NOT_FOUND, exit 1', async () => {
    writeFileSync(join(dir, 'blank.png'), encodePng({ width: 40, height: 40, data: new Uint8Array(1600).fill(255) }));
    const r = await run('barcode', 'check', 'blank.png', '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ payload: null, valid: false, error: 'NOT_FOUND' });
    expect((await run('barcode', 'check', 'missing.png')).status).toBe(4);
  });

  it('rejects bad command lines with exit 2', async () => {
    expect((await run('barcode')).status).toBe(2);
    expect((await run('barcode', 'render', 'h1.json', '--x-dots', '2.5')).status).toBe(2);
    expect((await run('barcode', 'render', 'h1.json', '--quiet-zone', '5')).status).toBe(2);
    expect((await run('barcode', 'check')).status).toBe(2);
  });
});

describe('hmskort card-back', () => {
  it('writes SVG and PNG whose barcode reads back and matches the holder', async () => {
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ cardBack: { qrUrlTemplate: 'https://hms.example/c/{cardNumber}' } }));
    const r = await run('card-back', 'h2.json', '--svg', 'c.svg', '--png', 'c.png', '--dpi', '300', '--config', 'cfg.json');
    expect(r.status).toBe(0);
    expect(r.out).toContain('QR https://hms.example/c/4711');
    expect(readFileSync(join(dir, 'c.svg'), 'utf8')).toMatch(/width="85\.6mm" height="53\.98mm"/);
    const c = await run('barcode', 'check', 'c.png', '--expect', 'h2.json', '--json');
    expect(c.status).toBe(0);
    const rep = JSON.parse(c.out);
    expect(rep.match).toBe(true);
    expect(rep.symbols.map((s: { text: string }) => s.text)).toContain('https://hms.example/c/4711');
  });

  it.skipIf(!chromium && !process.env.CI)(`--renderer chromium screenshots the SVG (${chromium ?? 'SKIPPED: chromium not installed'})`, async () => {
    const r = await run('card-back', 'h1.json', '--png', 'cc.png', '--renderer', 'chromium', '--dpi', '300');
    expect(r.status).toBe(0);
    const c = await run('barcode', 'check', 'cc.png', '--expect', 'h1.json', '--json');
    expect(JSON.parse(c.out)).toMatchObject({ match: true, grade: { dpi: 300 } });
  });

  it('needs an output', async () => {
    expect((await run('card-back', 'h1.json')).status).toBe(2);
  });
});
