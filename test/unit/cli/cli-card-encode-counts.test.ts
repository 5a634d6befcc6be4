/**
 * `hmskort card encode` prints the failed authentications and re-activations next to the
 * authentications, reads and writes (issue 13): a blank card none, a re-encode one re-activation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runMain } from '../../helpers/cli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';

const ex = cardExamples().find((e) => e.id === 'card-unsigned-7-byte-uid')!;
let dir: string;

const run = (...argv: string[]) => runMain(dir, argv);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmskort-counts-'));
  writeFileSync(join(dir, 'holder.json'), JSON.stringify({ ...ex.holder, cardNumber: '777000111' }));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: hex(ex.readMaster), writeMaster: hex(ex.writeMaster) }));
  writeFileSync(join(dir, 'finished.json'), JSON.stringify({ blocks: ex.blocks }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('card encode output', () => {
  it('a blank card: 0 failed auth, 0 re-activations, in the text and the JSON', async () => {
    const text = await run('card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual', '--uid', ex.uid);
    expect(text.status).toBe(0);
    expect(text.out).toMatch(/total .*\(\d+ auth, 0 failed auth, 0 re-activations, \d+ read, \d+ write\)/);
    const json = await run('card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual', '--uid', ex.uid, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, failedAuths: 0, reactivations: 0 });
  });

  it('a re-encode of a finished card: 1 failed auth, 1 re-activation', async () => {
    const r = await run('card', 'encode', 'holder.json', '--keys', 'keys.json', '--reader', 'virtual', '--image-in', 'finished.json');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/re-encoded/);
    expect(r.out).toMatch(/\(\d+ auth, 1 failed auth, 1 re-activation, \d+ read, \d+ write\)/);
  });
});
