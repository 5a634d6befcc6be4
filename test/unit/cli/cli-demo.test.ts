/**
 * Issue 9: `hmskort demo`, the README's first command, runs with no hardware: the card it encodes
 * is the spec example `card-signed-4-byte-uid` byte for byte, the gate allows it, the barcode reads
 * back, and the files are written.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';

const examples = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json'), 'utf8')) as { vectors: Array<{ id: string; expect: { blocks?: string[]; track1?: string; barcode?: string } }> };
const cardExample = examples.vectors.find((v) => v.id === 'card-signed-4-byte-uid')!;
const encodeExample = examples.vectors.find((v) => v.id === 'encode-construction')!;

describe('hmskort demo', () => {
  it('encodes the spec example card in memory, allows it at the gate and writes the files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-demo-'));
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['demo', '--in-memory', '--out', 'out', '--json'], ctx);
    expect(ctx.err()).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(ctx.out()) as { ok: boolean; via: string; sameAsSpec: boolean; decision: { allow: boolean; reason: string }; barcode: { payload: string; readBack: string } };
    expect(report).toMatchObject({ ok: true, via: 'memory', sameAsSpec: true, decision: { allow: true, reason: 'ok' } });
    expect(report.barcode).toEqual({ payload: encodeExample.expect.barcode, readBack: encodeExample.expect.barcode });
    const card = JSON.parse(readFileSync(join(dir, 'out/card.json'), 'utf8')) as { blocks: string[] };
    expect(card.blocks).toEqual(cardExample.expect.blocks);
    expect(statSync(join(dir, 'out/card.json')).mode & 0o077).toBe(0); // keys inside: owner only
    expect(readFileSync(join(dir, 'out/tracks.txt'), 'utf8')).toContain(encodeExample.expect.track1!);
    expect(readFileSync(join(dir, 'out/barcode.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(dir, 'out/card-back.svg'), 'utf8')).toContain('85.6mm');
  });

  it('says in plain lines what happened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-demo-'));
    const ctx = fakeContext({ cwd: dir });
    expect(await main(['demo', '--in-memory'], ctx)).toBe(0);
    const out = ctx.out();
    expect(out).toContain('in memory (');
    expect(out).toContain('the card equals the spec example byte for byte');
    expect(out).toMatch(/gate: ALLOW \(ok\) card 123456/);
    expect(out.trim().split('\n').at(-1)).toBe('demo ok');
  });
});
