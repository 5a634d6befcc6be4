/**
 * The PNG pHYs chunk (PNG specification, ISO/IEC 15948 section 11.3.5.3): physical pixel size, so a
 * barcode PNG prints at the dpi it was made for, and a grader can read the resolution back. Pure.
 */
import { crc32 } from '../codec/crc.js';
import { needBytes, needNumber } from '../codec/guard.js';

/** Inserts (or replaces) a PNG pHYs chunk saying `dpi` (PNG spec section 11.3.5.3: pixels per metre). */
export function withDpi(png: Uint8Array, dpi: number): Uint8Array {
  needBytes('withDpi', 'png', png);
  needNumber('withDpi', 'dpi', dpi);
  const ppm = Math.round(dpi / 0.0254);
  const chunk = new Uint8Array(21);
  const dv = new DataView(chunk.buffer);
  dv.setUint32(0, 9);
  chunk.set([0x70, 0x48, 0x59, 0x73], 4); // "pHYs"
  dv.setUint32(8, ppm);
  dv.setUint32(12, ppm);
  chunk[16] = 1; // unit: metre
  dv.setUint32(17, crc32(chunk.subarray(4, 17)));
  // Chunks after the 8-byte signature; keep all but an existing pHYs, insert ours after IHDR.
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  let at = 8;
  const pdv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  while (at + 8 <= png.length) {
    const len = pdv.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const end = at + 12 + len;
    if (type !== 'pHYs') parts.push(png.subarray(at, end));
    if (type === 'IHDR') parts.push(chunk);
    at = end;
  }
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Reads the dpi from a PNG pHYs chunk (unit metre), if present. */
export function pngDpi(png: Uint8Array): number | undefined {
  needBytes('pngDpi', 'png', png);
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  while (at + 8 <= png.length) {
    const len = dv.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'pHYs' && len === 9 && png[at + 16] === 1) return Math.round(dv.getUint32(at + 8) * 0.0254 * 100) / 100;
    if (type === 'IDAT') return undefined;
    at += 12 + len;
  }
  return undefined;
}
