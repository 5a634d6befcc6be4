/**
 * `hmskort card-front` in-process: the SVG, the PNG of the printed panel and the panel's 82 296
 * bytes, the photo option, and the exit status of each mistake (src/cli/exitStatus.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { runMain } from '../../helpers/cli.js';
import { encodePng } from '../../../src/barcode/image.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-card-front-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const holder = {
  category: 'cleaning',
  cardNumber: '000123456789',
  orgNumber: '974760673',
  orgName: 'Ærlige Åse Renhold AS',
  givenName: 'Kari',
  familyName: 'Nordmann-Østensen Haugen-Bakkelund',
  birthDate: '1990-05-17',
  gender: 'F',
  expiry: '2028-06-30',
};
writeFileSync(join(dir, 'h.json'), JSON.stringify(holder));
writeFileSync(join(dir, 'photo.png'), encodePng({ width: 30, height: 40, data: new Uint8Array(1200).fill(100) }));
writeFileSync(join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));

describe('hmskort card-front', () => {
  it('writes the SVG, the PNG of the panel and the panel bytes', async () => {
    const r = await runMain(dir, ['card-front', 'h.json', '--svg', 'f.svg', '--png', 'f.png', '--panel', 'f.bin', '--photo', 'photo.png']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/card front {2}85.60 x 53.98 mm, cleaning, name in 2 line\(s\)/);
    const svg = readFileSync(join(dir, 'f.svg'), 'utf8');
    expect(svg).toContain('>RENHOLD</text>');
    expect(svg).toContain('>Kari Nordmann-Østensen</text>');
    expect(svg).toContain('>Kortnr. 123456789</text>');
    expect(svg).toContain('data:image/png;base64,');
    const png = PNG.sync.read(readFileSync(join(dir, 'f.png')));
    expect([png.width, png.height]).toEqual([1016, 648]);
    expect(readFileSync(join(dir, 'f.bin')).length).toBe(1016 * 81);
  });

  it('--json gives the boxes and how each text was set', async () => {
    const r = await runMain(dir, ['card-front', 'h.json', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out) as { texts: Record<string, { lines: string[] }>; boxes: Record<string, unknown> };
    expect(j.texts.expiry.lines).toEqual(['Gyldig til 30.06.2028']);
    expect(j.texts.orgNumber.lines).toEqual(['Org.nr. 974 760 673']);
    expect(j.boxes.photo).toBeUndefined();
  });

  it('mistakes: no output (2), a photo that is not an image (3), a missing photo (4), an invalid holder (3)', async () => {
    expect((await runMain(dir, ['card-front', 'h.json'])).status).toBe(2);
    const bad = await runMain(dir, ['card-front', 'h.json', '--svg', 'g.svg', '--photo', 'broken.jpg']);
    expect(bad.status).toBe(3);
    expect(bad.err).toMatch(/broken\.jpg/);
    expect((await runMain(dir, ['card-front', 'h.json', '--svg', 'g.svg', '--photo', 'none.png'])).status).toBe(4);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...holder, category: 'void' }));
    expect((await runMain(dir, ['card-front', 'bad.json', '--svg', 'g.svg'])).status).toBe(3);
  });
});

describe('hmskort card-front --truncate (as batch --truncate)', () => {
  // 116 bytes of text area (spec section 1): a name this long fits only truncated.
  const long = { ...holder, familyName: 'Nordmann-Østensen '.repeat(6).trim() };
  writeFileSync(join(dir, 'long.json'), JSON.stringify(long));
  it('refuses the over-long holder without it (exit 3), draws it with it', async () => {
    expect((await runMain(dir, ['card-front', 'long.json', '--json'])).status).toBe(3);
    const r = await runMain(dir, ['card-front', 'long.json', '--json', '--truncate']);
    expect(r.status, r.err).toBe(0);
  });
});
