/**
 * Spec section 8: every vector file runs through the library. The spec's own examples
 * (../shared/spec/examples.json, copied byte for byte to test-vectors/spec-examples.json) must all
 * pass, always; so must every vector file of the project.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseVectorFile, runVector } from '../../../src/vectors/runner.js';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';

const root = resolve(import.meta.dirname, '../../..');
const sharedExamples = resolve(root, '../shared/spec/examples.json');
const vectorDir = join(root, 'test-vectors');

describe('spec examples (section 8)', () => {
  it('the copy in test-vectors/ is the published file, byte for byte', () => {
    if (!existsSync(sharedExamples)) return; // a checkout without shared/ beside it: the copy stands alone
    expect(readFileSync(join(vectorDir, 'spec-examples.json'), 'utf8')).toBe(readFileSync(sharedExamples, 'utf8'));
  });

  it('hmskort vectors reports 22 passed, 0 failed on the spec examples', async () => {
    const file = existsSync(sharedExamples) ? sharedExamples : join(vectorDir, 'spec-examples.json');
    const ctx = fakeContext();
    const status = await main(['vectors', file], ctx);
    expect(ctx.out().trim().split('\n').at(-1)).toBe('22 passed, 0 failed');
    expect(status).toBe(0);
  });
});

for (const name of readdirSync(vectorDir).filter((n) => n.endsWith('.json')).sort()) {
  describe(`test-vectors/${name}`, () => {
    const vectors = parseVectorFile(JSON.parse(readFileSync(join(vectorDir, name), 'utf8')), name);
    it('is not empty and has unique ids', () => {
      expect(vectors.length).toBeGreaterThan(0);
      expect(new Set(vectors.map((v) => v.id)).size).toBe(vectors.length);
    });
    for (const v of vectors) {
      it(`${v.kind}: ${v.id}`, async () => {
        const r = await runVector(v);
        expect({ id: r.id, actual: r.actual, message: r.message }).toEqual({ id: v.id, actual: r.pass ? r.actual : v.expect, message: undefined });
        expect(r.pass).toBe(true);
      });
    }
  });
}
