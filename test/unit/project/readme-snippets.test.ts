/**
 * Issue 15 item 9: every TypeScript/JavaScript block of the README runs, as it stands, against the
 * sources (`hmskort` resolves through vitest.config.ts's alias, as the examples do), and each
 * `// prints: TEXT` comment in a block is checked against what the block logs. Shell blocks run in
 * test/integration/project/readme-sh.test.ts. Also: every entry point of package.json "exports"
 * has a row in the README's API table.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { expectedPrints, RUN_LANGS, snippets } from '../../helpers/readmeSnippets.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const blocks = snippets(readme).filter((b) => RUN_LANGS.includes(b.lang));
const code = blocks.filter((b) => b.lang !== 'sh');
const dir = mkdtempSync(join(tmpdir(), 'hmsk-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README code blocks', () => {
  it('has TypeScript blocks to run and shell blocks for the integration test (the parser found them)', () => {
    expect(code.filter((b) => !b.notRun).length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => b.lang === 'sh' && !b.notRun).length).toBeGreaterThanOrEqual(3);
  });

  for (const b of code) {
    const name = `line ${b.line} (${b.lang})`;
    if (b.notRun) {
      it.skip(`${name}: not run: ${b.notRun}`, () => {});
      continue;
    }
    it(`${name} runs and prints what its comments say`, async () => {
      const logged: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(format(...args)));
      const file = join(dir, `readme-line-${b.line}.${b.lang}`);
      writeFileSync(file, b.code);
      try {
        await import(/* @vite-ignore */ file);
      } finally {
        log.mockRestore();
      }
      const out = logged.join('\n');
      for (const want of expectedPrints(b.code)) expect(out, `README line ${b.line} should print "${want}"`).toContain(want);
    });
  }
});

describe('README API table', () => {
  it('has a row for every entry point of package.json "exports"', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
    const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(readme, `no API row for ${e}`).toContain(`| \`hmskort${e.slice(1)}\` |`);
  });
});
