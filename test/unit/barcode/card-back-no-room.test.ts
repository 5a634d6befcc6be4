/**
 * Issue 19 item 21: `card-back --stripe-mm 60` without a QR URL said "the QR URL is too long". The
 * message now names what takes the room, and the largest stripe band it says fits is checked by
 * laying the card back out with it (and 0.2 mm more, which must not fit).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../../../src/cli/main.js';
import { command as cardBack } from '../../../src/cli/commands/cardBack.js';
import { cardBackLayout } from '../../../src/barcode/cardBack.js';
import { validateHolder } from '../../../src/codec/holder.js';
import { fakeContext } from '../../helpers/cli.js';
import { thrown } from '../../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-card-back-room-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const examples = JSON.parse(readFileSync(new URL('../../../test-vectors/spec-examples.json', import.meta.url), 'utf8')) as { vectors: { id: string; input: { holder: unknown } }[] };
const holderJson = examples.vectors.find((v) => v.id === 'encode-construction')!.input.holder;
writeFileSync(join(dir, 'h.json'), JSON.stringify(holderJson));
const holder = validateHolder(holderJson);

async function run(...argv: string[]) {
  const ctx = fakeContext({ cwd: dir });
  let status: number;
  try {
    status = await cardBack.run(argv, ctx);
  } catch (e) {
    const d = describeError(e);
    ctx.stderr(d.line + '\n');
    status = d.status;
  }
  return { status, out: ctx.out(), err: ctx.err() };
}

const maxFrom = (message: string) => Number(/at most ([\d.]+) mm fits/.exec(message)?.[1]);

describe('card-back: no room for the barcode', () => {
  it('--stripe-mm 60 without a QR URL blames the stripe band, not a QR URL: exit 2', async () => {
    const r = await run('h.json', '--json', '--stripe-mm', '60');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^usage: no room for the barcode: the 60 mm stripe band, the text leave -?[\d.]+ mm for bars of at least 5 mm; a stripe band of at most [\d.]+ mm fits\n$/);
    expect(r.err).not.toMatch(/QR/);
    const max = maxFrom(r.err);
    expect((await run('h.json', '--json', '--stripe-mm', String(max))).status).toBe(0);
    expect((await run('h.json', '--json', '--stripe-mm', (max + 0.2).toFixed(1))).status).toBe(2);
  });

  it('with a QR code the band that fits is smaller, and said so', () => {
    const e = thrown(() => cardBackLayout(holder, { stripeBandMm: 40, qrUrlTemplate: 'https://hms.example/{payload}' }), RangeError);
    expect(e.message).toMatch(/the 40 mm stripe band, the text and the [\d.]+ mm QR code leave .* a stripe band of at most [\d.]+ mm fits with this QR code$/);
    const max = maxFrom(e.message);
    expect(() => cardBackLayout(holder, { stripeBandMm: max, qrUrlTemplate: 'https://hms.example/{payload}' })).not.toThrow();
  });

  it('a QR URL too long for any stripe band is blamed alone', () => {
    expect(() => cardBackLayout(holder, { stripeBandMm: 0, qrUrlTemplate: `https://hms.example/${'x'.repeat(1200)}/{payload}` })).toThrow(/the QR URL is too long: its code leaves no room whatever the stripe band$/);
  });
});
