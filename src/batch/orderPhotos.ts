/**
 * The `photo` column of an order file: a JPEG or PNG path relative to the CSV file. Checked in the
 * validation pass (the file is there and decodes, by the same decoder the card face uses,
 * src/barcode/image.ts with its size limits), so a batch never stops at order 40 on a missing
 * photo after 39 cards were printed.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { decodeImage } from '../barcode/image.js';
import type { PhotoCheck } from './orders.js';

/** A PhotoCheck resolving paths against `dir` (the CSV file's directory). */
export function photoChecker(dir: string): PhotoCheck {
  return (photo) => {
    const path = isAbsolute(photo) ? photo : resolve(dir, photo);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      return { code: 'PHOTO_UNREADABLE', message: `photo ${photo}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    try {
      decodeImage(bytes, photo);
    } catch (e) {
      return { code: (e as { code?: string }).code ?? 'PHOTO_BAD', message: `photo ${(e as Error).message}` };
    }
    return { path };
  };
}
