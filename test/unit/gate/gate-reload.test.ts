/**
 * FileReloader.start() (src/gate/reload.ts): a hot list or policy replaced while the first load is
 * still running must still be picked up. The load function itself replaces the file (write a
 * temporary file, rename it over the old one, as deployment tools do), so the race is
 * deterministic; the test waits for the 'reload' event with the new content, no timing asserted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileReloader } from '../../../src/gate/reload.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** A file path in a fresh directory, removed after the test. */
const tmpFile = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'hmskort-reload-'));
  dirs.push(dir);
  return join(dir, name);
};

describe('FileReloader.start()', () => {
  it('a file replaced during the first load is reloaded, not taken for the one loaded', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'first\n');
    let loads = 0;
    const load = async (p: string) => {
      const text = readFileSync(p, 'utf8');
      if (loads++ === 0) {
        writeFileSync(`${file}.tmp`, 'second\n');
        renameSync(`${file}.tmp`, file);
      }
      return text;
    };
    const r = new FileReloader(file, load, { debounceMs: 5 });
    try {
      const initial = await r.start();
      expect(initial).toBe('first\n');
      const next = await new Promise<string>((res) => r.once('reload', (v: string) => res(v)));
      expect(next).toBe('second\n');
    } finally {
      r.close();
    }
  });

  it('an unchanged file is loaded once', async () => {
    const file = tmpFile('policy.json');
    writeFileSync(file, '{}\n');
    let loads = 0;
    const r = new FileReloader(file, async (p) => (loads++, readFileSync(p, 'utf8')), { debounceMs: 5 });
    try {
      await r.start();
      // An explicit reload compares signatures: the same file is not parsed again.
      await r.reload();
      expect(loads).toBe(1);
    } finally {
      r.close();
    }
  });
});
