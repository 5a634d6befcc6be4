/**
 * The vector runner's own rules (spec section 8): error vectors, subset comparison, hex case,
 * malformed files, and the CLI's exit status and closing line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonEqual, parseVectorFile, runVector } from '../../../src/vectors/runner.js';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';

// Spec example `kdf-sector-1-key-a`, used here to test the runner itself.
const kdf = { id: 'k', kind: 'kdf', input: { master: '000102030405060708090a0b0c0d0e0f', uid: '04a1b2c3', sector: 1, keyType: 'A' }, expect: { key: '982777a10697' } };

describe('vector runner', () => {
  it('compares hex without regard to case, names without folding', () => {
    expect(jsonEqual('ABcd', 'abCD', 'record')).toBe(true);
    expect(jsonEqual(['AB'], ['ab'], 'blocks')).toBe(true);
    expect(jsonEqual('Ada', 'ADA', 'givenName')).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('passes a right vector and fails a wrong one with a message', async () => {
    expect((await runVector(kdf)).pass).toBe(true);
    expect((await runVector({ ...kdf, expect: { key: '982777A10697' } })).pass).toBe(true);
    const r = await runVector({ ...kdf, expect: { key: '000000000000' } });
    expect(r.pass).toBe(false);
    expect(r.message).toContain('key');
  });

  it('an error vector passes only on that code', async () => {
    const blank = { id: 'b', kind: 'decode-gate', input: { gateBlock: 'ff'.repeat(16) }, expect: { error: 'BLANK' } };
    expect((await runVector(blank)).pass).toBe(true);
    expect((await runVector({ ...blank, expect: { error: 'BAD_CRC' } })).pass).toBe(false);
    expect((await runVector({ ...blank, kind: 'no-such-kind' })).message).toContain('unknown kind');
  });

  it('rejects files of another format', () => {
    expect(() => parseVectorFile({ format: 'x', vectors: [] })).toThrow(/format/);
    expect(() => parseVectorFile({ format: 'hmsk-vectors/1', vectors: [{ id: 1 }] })).toThrow(/id/);
  });

  it('CLI: a failing vector and an unreadable file give exit 1 and the closing line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-vec-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ format: 'hmsk-vectors/1', vectors: [kdf, { ...kdf, id: 'wrong', expect: { key: '00' } }] }));
    writeFileSync(join(dir, 'b.json'), '{ not json');
    const ctx = fakeContext({ cwd: dir });
    expect(await main(['vectors', '.'], ctx)).toBe(1);
    expect(ctx.out()).toContain('FAIL a.json: wrong (kdf)');
    expect(ctx.out().trim().split('\n').at(-1)).toBe('1 passed, 1 failed');
    expect(ctx.err()).toContain('b.json is not valid JSON');
    const only = fakeContext({ cwd: dir });
    expect(await main(['vectors', 'a.json', '--kind', 'mad'], only)).toBe(0);
    expect(only.out().trim()).toBe('0 passed, 0 failed');
  });
});
