/**
 * STYLE.md layering for src/barcode: the reference decoder and the ISO/IEC 15416 grader over grey
 * pixels stay pure (no node:*, no bwip-js/zxing-wasm/pngjs/jpeg-js, transitively), so they can be
 * exported from the pure root entry and reused in a browser or a test lab tool.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { importClosure } from '../../helpers/imports.js';

const PURE = ['code128Table.ts', 'code128Decoder.ts', 'pngDpi.ts', 'grade/index.ts', 'grade/scanLine.ts', 'grade/profile.ts', 'grade/thresholds.ts'];
const dir = resolve(import.meta.dirname, '../../../src/barcode');
// Type-only imports are erased by tsc: they load nothing.
const closure = (file: string) => importClosure(file, { types: false });

describe('src/barcode pure parts', () => {
  it.each(PURE)('%s reaches no node:* module and no package', (f) => {
    const reached = [...closure(resolve(dir, f))];
    expect(reached.filter((x) => x.startsWith('pkg:') && x !== 'pkg:crc/calculators/crc32' && x !== 'pkg:crc/calculators/crc16ccitt')).toEqual([]);
  });
});
