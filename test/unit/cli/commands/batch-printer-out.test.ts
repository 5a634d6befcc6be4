/**
 * `hmskort batch --printer emulator --emulator-out DIR` and the `photo` column of orders.csv, in
 * process: the dry run leaves each card's panels, tracks.json and stream.prn; replaying stream.prn
 * (`printer replay`, a second emulator fed only the bytes) gives the same panels byte for byte; a
 * photo that is missing or no image stops the batch in the validation pass (exit 3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { main } from '../../../../src/cli/main.js';
import { fakeContext } from '../../../helpers/cli.js';
import { batchDir } from '../../../helpers/batchCli.js';
import { journalLines } from '../../../helpers/batchStack.js';
import { pngInk } from '../../../helpers/evolisStreams.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const DRY = ['batch', 'orders.csv', '--keys', 'keys.json', '--journal', 'j.jsonl', '--printer', 'emulator', '--reader', 'virtual'];

async function run(dir: string, argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}
const ink = (file: string) => pngInk(PNG.sync.read(readFileSync(file))).reduce((a, b) => a + b, 0);

/** Adds a photo column: `photos[i]` for order i ('' for none). */
function withPhotos(dir: string, photos: string[]): void {
  const [header, ...rows] = readFileSync(join(dir, 'orders.csv'), 'utf8').trim().split('\n');
  writeFileSync(join(dir, 'orders.csv'), [`${header},photo`, ...rows.map((r, i) => `${r},${photos[i] ?? ''}`)].join('\n') + '\n');
}

describe('batch --emulator-out (emulator / scripted replies; no real printer)', () => {
  it('panels as PNG, tracks.json per UID with the fate, stream.prn that replays to the same panels', async () => {
    const dir = batchDir(2);
    dirs.push(dir);
    const r = await run(dir, [...DRY, '--emulator-out', 'out', '--coercivity', 'low']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toContain('emulator: 2 card(s), 4 panel(s), tracks.json and stream.prn -> out');
    const pngs = readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.png')).sort();
    expect(pngs).toEqual(['card-1-back-k.png', 'card-1-front-k.png', 'card-2-back-k.png', 'card-2-front-k.png']);
    const tracks = JSON.parse(readFileSync(join(dir, 'out', 'tracks.json'), 'utf8'));
    const done = journalLines(join(dir, 'j.jsonl')).filter((e) => e.t === 'done').map((e) => e.uid);
    expect(tracks.cards.map((c: { uid: string }) => c.uid)).toEqual(done);
    expect(tracks.cards.map((c: { fate: string; coercivity: string }) => [c.fate, c.coercivity])).toEqual([['output tray', 'l'], ['output tray', 'l']]);
    expect(tracks.cards[0].tracks[2]).toMatch(/^\d+=/);

    const again = await run(dir, ['printer', 'replay', 'out/stream.prn', '--out', 'replayed']);
    expect(again.status, again.err).toBe(0);
    for (const f of pngs) expect(readFileSync(join(dir, 'replayed', f)).equals(readFileSync(join(dir, 'out', f))), f).toBe(true);
    const t = JSON.parse(readFileSync(join(dir, 'replayed', 'transcript.json'), 'utf8'));
    expect(t.unknown).toEqual([]);
    expect(t.cards.map((c: { tracks: object }) => c.tracks)).toEqual(tracks.cards.map((c: { tracks: object }) => c.tracks));
  }, 30_000);
});

describe('the photo column (emulator / scripted replies; no real printer)', () => {
  it('a black photo puts its box of ink on the front; the order without one has none', async () => {
    const dir = batchDir(2);
    dirs.push(dir);
    const black = new PNG({ width: 70, height: 90 });
    for (let i = 0; i < black.data.length; i += 4) black.data[i + 3] = 255; // opaque black
    writeFileSync(join(dir, 'black.png'), PNG.sync.write(black));
    withPhotos(dir, ['black.png', '']);
    const r = await run(dir, [...DRY, '--emulator-out', 'out']);
    expect(r.status, r.err).toBe(0);
    // The photo box is 260 x 334 dots (src/faces/cardFront.ts): a black photo dithers to all ink.
    expect(ink(join(dir, 'out', 'card-1-front-k.png')) - ink(join(dir, 'out', 'card-2-front-k.png'))).toBeGreaterThan(0.8 * 260 * 334);
  }, 30_000);

  it.each([
    ['missing.jpg', /photo missing\.jpg: cannot read it \(ENOENT\)/],
    ['notes.txt', /photo .*notes\.txt/],
  ])('photo %s: refused in the validation pass, exit 3, nothing printed', async (photo, message) => {
    const dir = batchDir(2);
    dirs.push(dir);
    writeFileSync(join(dir, 'notes.txt'), 'not an image');
    withPhotos(dir, ['', photo]);
    const r = await run(dir, [...DRY]);
    expect(r.status).toBe(3);
    expect(r.out).toMatch(/invalid order at line 3 \(k1\): /);
    expect(r.out).toMatch(message);
    expect(readdirSync(dir)).not.toContain('j.jsonl');
  });
});
