/**
 * Reading the source tree as text, for the tests that check a fact is written in one place
 * (test/unit/codec/recordLayout.test.ts, crc.test.ts, orgNumber.test.ts).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's src/ folder. */
export const SRC = resolve(import.meta.dirname, '../../src');

/** Every .ts file below `dir`. */
export function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A file's text without its comments, so a comment may still say "999 999 999 999" or "byte 19". */
export function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
