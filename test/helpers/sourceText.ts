/**
 * Reading the source tree as text, for the tests that check a fact is written in one place
 * (test/unit/codec/recordLayout.test.ts, crc.test.ts, orgNumber.test.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Every .ts file below a folder (the import scanner's walk). */
export { sourceFiles as tsFiles } from './imports.js';

/** The repository's src/ folder. */
export const SRC = resolve(import.meta.dirname, '../../src');

/** A file's text without its comments, so a comment may still say "999 999 999 999" or "byte 19". */
export function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
