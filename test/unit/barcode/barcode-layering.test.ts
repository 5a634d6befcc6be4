/**
 * STYLE.md layering for src/barcode: the reference decoder and the ISO/IEC 15416 grader over grey
 * pixels stay pure (no node:*, no bwip-js/zxing-wasm/pngjs/jpeg-js, transitively), so they can be
 * exported from the pure root entry and reused in a browser or a test lab tool.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const PURE = ['code128Table.ts', 'code128Decoder.ts', 'pngDpi.ts', 'grade/index.ts', 'grade/scanLine.ts', 'grade/profile.ts', 'grade/thresholds.ts'];
const dir = resolve(import.meta.dirname, '../../../src/barcode');

function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    const s = m[1];
    if (s.startsWith('.')) closure(resolve(dirname(file), s.replace(/\.js$/, '.ts')), seen);
    else seen.add(`pkg:${s}`);
  }
  return seen;
}

describe('src/barcode pure parts', () => {
  it.each(PURE)('%s reaches no node:* module and no package', (f) => {
    const reached = [...closure(resolve(dir, f))];
    expect(reached.filter((x) => x.startsWith('pkg:') && x !== 'pkg:crc/calculators/crc32' && x !== 'pkg:crc/calculators/crc16ccitt')).toEqual([]);
  });
});
