/**
 * Issue 15 item 9: every shell block of the README runs, as it stands, with bash (-e: each command
 * must succeed) in a fresh folder holding test/fixtures/readme/ (keys.json, orders.csv,
 * holder.json) and test-vectors/, where `hmskort` is the CLI from the sources (node + tsx, as
 * test/helpers/run-cli.ts). A block that needs hardware is marked `<!-- not run: REASON -->` in the
 * README and reported here as skipped with its reason.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snippets } from '../../helpers/readmeSnippets.js';

const root = resolve(import.meta.dirname, '../../..');
const blocks = snippets(readFileSync(join(root, 'README.md'), 'utf8')).filter((b) => b.lang === 'sh');
let dir = '';
let env: NodeJS.ProcessEnv = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmsk-readme-sh-'));
  cpSync(join(root, 'test/fixtures/readme'), dir, { recursive: true });
  symlinkSync(join(root, 'test-vectors'), join(dir, 'test-vectors'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  // tsx resolved from the project: `--import tsx` would resolve from the folder the block runs in.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  writeFileSync(join(bin, 'hmskort'), `#!/bin/sh\nexec "${process.execPath}" --import ${tsx} "${join(root, 'test/helpers/run-cli.ts')}" "$@"\n`);
  chmodSync(join(bin, 'hmskort'), 0o755);
  env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('README shell blocks', () => {
  it('has blocks to run (the parser found them)', () => {
    expect(blocks.filter((b) => !b.notRun).length).toBeGreaterThanOrEqual(3);
  });

  for (const b of blocks) {
    const name = `line ${b.line} (sh)`;
    if (b.notRun) {
      it.skip(`${name}: not run: ${b.notRun}`, () => {});
      continue;
    }
    it(`${name} exits 0`, () => {
      const r = spawnSync('bash', ['-euo', 'pipefail', '-c', b.code], { cwd: dir, env, encoding: 'utf8', timeout: 170_000, killSignal: 'SIGKILL' });
      expect(r.status, `README line ${b.line}:\n${b.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    }, 180_000);
  }
});
