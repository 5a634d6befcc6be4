/**
 * Global setup of the integration project: the tests that run the built CLI (bin/hmskort.js ->
 * dist/) must run what the sources say. `npm ci` builds dist/ (the `prepare` script), but a
 * checkout whose sources changed since would test a stale build, or skip the tests that look for
 * dist/ at all. So: when dist/ is missing or any file under src/ is newer than the build, build it
 * (tsc -p tsconfig.build.json, about 20 s) before any test starts, and fail the run if it fails.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(ROOT, 'dist/src/cli/main.js')).mtimeMs;
  } catch {
    return -1;
  }
}

export default function setup(): void {
  const built = builtAt();
  if (built >= newestMtime(join(ROOT, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  console.log(`distFresh: dist/ ${built < 0 ? 'missing' : 'older than src/'}: building (tsc -p tsconfig.build.json)`);
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
}
