/**
 * ISO/IEC 15416 grading of PNG/JPEG bytes: decoded with pngjs/jpeg-js, the dpi taken from the
 * options or the PNG pHYs chunk, then graded by gradeGrayImage (index.ts).
 */
import { decodeImage, isPng, toGray } from '../image.js';
import { pngDpi } from '../pngDpi.js';
import { gradeGrayImage, type GradeOptions, type SymbolGrade } from './index.js';
import { needBytes, needOptions } from '../../codec/guard.js';

/** Grades a PNG or JPEG; the dpi comes from the options or the PNG's pHYs chunk. */
export function gradeImage(bytes: Uint8Array, opts: GradeOptions = {}): SymbolGrade {
  needBytes('gradeImage', 'bytes', bytes);
  needOptions('gradeImage', 'opts', opts);
  const dpi = opts.dpi ?? (isPng(bytes) ? pngDpi(bytes) : undefined);
  return gradeGrayImage(toGray(decodeImage(bytes)), { ...opts, ...(dpi ? { dpi } : {}) });
}
