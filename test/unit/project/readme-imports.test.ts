/**
 * Issue 19 item 12: the README imported `decideGate` from `hmskort` while it lives in
 * `hmskort/gate`. Every name the README (and docs/) imports from an entry point, in a code
 * snippet or in a "NAME from 'hmskort/...'" remark, must be a runtime export of that entry point,
 * so the snippets cannot drift from the package. Entry points resolve to the sources through
 * vitest.config.ts's alias, as the examples do.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const docs = ['README.md', ...(existsSync(new URL('../../../docs/', import.meta.url)) ? readdirSync(new URL('../../../docs/', import.meta.url)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [])];

/** [file, module, name] for every imported name. */
function importsOf(file: string, text: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(hmskort(?:\/[\w/]+)?)'/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/\s+as\s+\w+$/, '');
      if (name && !name.startsWith('type ')) out.push([file, m[2], name]);
    }
  }
  // Remarks such as "// or VirtualCardReader from 'hmskort/testing'".
  for (const m of text.matchAll(/\/\/[^\n]*?\b(\w+) from '(hmskort(?:\/[\w/]+)?)'/g)) out.push([file, m[2], m[1]]);
  return out;
}

const IMPORTS = docs.flatMap((f) => importsOf(f, readFileSync(new URL(`../../../${f}`, import.meta.url), 'utf8')));

describe('names imported in the README and docs/ exist where they are imported from', () => {
  it('the README has import snippets to check (the parser found them)', () => {
    expect(IMPORTS.filter(([f]) => f === 'README.md').length).toBeGreaterThan(10);
    expect(IMPORTS).toContainEqual(['README.md', 'hmskort/gate', 'decideGate']);
  });

  it('every imported name is a runtime export of its entry point', async () => {
    const missing: string[] = [];
    for (const [file, mod, name] of IMPORTS) {
      const m = (await import(/* @vite-ignore */ mod)) as Record<string, unknown>;
      if (!(name in m)) missing.push(`${file}: ${name} is not exported by '${mod}'`);
    }
    expect(missing).toEqual([]);
  });
});
