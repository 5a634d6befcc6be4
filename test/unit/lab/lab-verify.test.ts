/**
 * Issue 9, test lab: `hmskort lab verify` reads each presented card in full and compares it with
 * the spec's `card` and `verify-card` vectors naming its UID; pass/fail as text and JUnit XML.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';

const examplesPath = resolve(import.meta.dirname, '../../../test-vectors/spec-examples.json');
const examples = JSON.parse(readFileSync(examplesPath, 'utf8')) as { vectors: Array<{ id: string; expect: { blocks?: string[] } }> };
const KEYS = { readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' };

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-lab-'));
  writeFileSync(join(dir, 'keys.json'), JSON.stringify(KEYS));
  return dir;
}

describe('hmskort lab verify', () => {
  it('passes the spec example cards and writes JUnit XML', async () => {
    const dir = setup();
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['lab', 'verify', '--vectors', examplesPath, '--reader', 'virtual', '--keys', 'keys.json', '--junit', 'lab.xml'], ctx);
    expect(ctx.out().trim().split('\n').at(-1)).toBe('2 passed, 0 failed');
    expect(status).toBe(0);
    const xml = readFileSync(join(dir, 'lab.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="hmskort lab verify" tests="2" failures="0"/);
    expect(xml).not.toContain('<failure');
  });

  it('fails a card whose name byte differs from the vector, naming the block, exit 1', async () => {
    const dir = setup();
    const blocks = [...examples.vectors.find((v) => v.id === 'card-unsigned-7-byte-uid')!.expect.blocks!];
    // Block 5 holds record bytes 16-31; byte 8 of it is record byte 24, the first byte of the given name 'J'.
    blocks[5] = blocks[5].slice(0, 16) + '4b' + blocks[5].slice(18);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ blocks }));
    const ctx = fakeContext({ cwd: dir });
    const status = await main(['lab', 'verify', '--vectors', examplesPath, '--reader', 'virtual', '--keys', 'keys.json', '--image-in', 'bad.json', '--junit', 'lab.xml'], ctx);
    expect(status).toBe(1);
    expect(ctx.out()).toContain('FAIL card 04112233445566');
    expect(ctx.out()).toMatch(/FAIL section 5 verification: BAD_CRC/);
    expect(ctx.out()).toMatch(/FAIL card-unsigned-7-byte-uid: blocks: differs: block 5\n/);
    expect(ctx.out()).toContain('not presented: 04a1b2c3');
    const xml = readFileSync(join(dir, 'lab.xml'), 'utf8');
    expect(xml).toMatch(/tests="1" failures="1"/);
    expect(xml).toMatch(/<failure message="section 5 verification, card-unsigned-7-byte-uid: blocks">/);
  });

  it('a card no vector names fails with that reason', async () => {
    const dir = setup();
    const blocks = [...examples.vectors.find((v) => v.id === 'card-unsigned-7-byte-uid')!.expect.blocks!];
    blocks[0] = '04112233445599' + blocks[0].slice(14);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ blocks }));
    const ctx = fakeContext({ cwd: dir });
    expect(await main(['lab', 'verify', '--vectors', examplesPath, '--reader', 'virtual', '--keys', 'keys.json', '--image-in', 'other.json', '--json'], ctx)).toBe(1);
    const report = JSON.parse(ctx.out()) as { failed: number; results: Array<{ checks: Array<{ name: string; detail: string }> }> };
    expect(report.failed).toBe(1);
    expect(report.results[0].checks[0]).toEqual({ name: 'vector', pass: false, detail: 'no card or verify-card vector names UID 04112233445599' });
  });
});
