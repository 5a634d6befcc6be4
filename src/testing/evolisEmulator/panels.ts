/**
 * The printed panels: `Dbc` line decompression, `Db` payloads, and a panel as the PNG a person sees.
 * Sources: evolis.md §4 (S1 = A5013 rev. E; S10 = dpavlin/Printer-EVOLIS; S14 = QZ Tray).
 *
 * - Layout (S1 p.4, p.14): 1016 lines of 648 dots; K and O panels are "2 levels of gray, 1 byte = 8
 *   pixels": 81 bytes a line, first dot in bit 7 (S14 `compactBits`), 1 = ink (S10
 *   evolis-driver.pl l.84).
 * - Orientation (S10 test.windows/evolis-card-text, decoded; dpavlin rotates a landscape page with
 *   `pnmflip -rotate270`, evolis-driver.pl l.56): the landscape face is rotated 90 degrees
 *   clockwise, so line L is column L of the landscape face (line 0 its left edge) and dot d of a
 *   line is row 647 - d (byte 0 bit 7 its bottom-left corner). `panelPng` undoes that.
 * - `Dbc` K/O compression (S1 p.5-6, p.15): per line a counter byte, 0x00 a white line, 0xFF a
 *   black line, N in 1..81: N bytes follow, "the counter corresponds to the index of the last byte
 *   of the line", the rest of the line is white (S10 evolis-simulator.pl l.66-91 pads the same way).
 * - Colour levels (S1 p.14): 32/64/128 levels are 5/6/7 bits a dot, concatenated; the bit order
 *   inside that concatenation is not documented [UNK]: read MSB first, as for K/O. Compressed colour
 *   (`Dbc;y|m|c`, a different scheme, S1 p.5) is not decoded: the panel is recorded as undecoded.
 */
import { PNG } from 'pngjs';
import { PANEL_BYTES } from './frames.js';

export const LINES = 1016;
export const LINE_BYTES = 81;
export const DOTS = 648;

/** Decompresses a K/O `Dbc` payload starting at `firstLine` (S1 p.15 form; 0 for the p.6 form). */
export function decompressMonoLines(payload: Uint8Array, firstLine = 0): { bitmap: Uint8Array; problem?: string } {
  const bitmap = new Uint8Array(PANEL_BYTES);
  let i = 0;
  let line = firstLine;
  while (i < payload.length) {
    if (line >= LINES) return { bitmap, problem: `${payload.length - i} bytes left after line 1015 (S1 p.5)` };
    const c = payload[i++];
    const at = line * LINE_BYTES;
    if (c === 0xff) bitmap.fill(0xff, at, at + LINE_BYTES);
    else if (c > LINE_BYTES) return { bitmap, problem: `line ${line}: counter ${c} is neither 0, 1..81 nor 255 (S1 p.5), at payload byte ${i - 1}` };
    else if (c > 0) {
      if (i + c > payload.length) return { bitmap, problem: `line ${line}: counter ${c} but only ${payload.length - i} bytes left` };
      bitmap.set(payload.subarray(i, i + c), at);
      i += c;
    }
    line++;
  }
  if (line < LINES) return { bitmap, problem: `the payload ends after line ${line - 1} of 1015` };
  return { bitmap };
}

/** Reads `bits`-bit values (MSB first, concatenated) of the 648 x 1016 dots, as ink 0..1. */
function colourInk(data: Uint8Array, bits: number): Float32Array {
  const out = new Float32Array(DOTS * LINES);
  const max = (1 << bits) - 1;
  let bit = 0;
  for (let n = 0; n < out.length; n++) {
    let v = 0;
    for (let k = 0; k < bits; k++, bit++) v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
    out[n] = v / max;
  }
  return out;
}

/**
 * The panel as a PNG in landscape orientation (1016 x 648), ink black on white. `bits` 1 for a
 * K/O bitmap in the printer's layout, 5/6/7 for a colour panel's levels.
 */
export function panelPng(data: Uint8Array, bits = 1): Buffer {
  const png = new PNG({ width: LINES, height: DOTS, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const gray = Buffer.alloc(LINES * DOTS, 255);
  const ink = bits === 1 ? undefined : colourInk(data, bits);
  for (let line = 0; line < LINES; line++) {
    for (let d = 0; d < DOTS; d++) {
      const x = line;
      const y = DOTS - 1 - d; // rotated back: dot d of line L is row 647 - d of column L
      const level = ink ? ink[line * DOTS + d] : (data[line * LINE_BYTES + (d >> 3)] >> (7 - (d & 7))) & 1;
      gray[y * LINES + x] = Math.round(255 * (1 - level));
    }
  }
  png.data = gray;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

/** Dots with ink in a 1-bit panel. */
export function inkDots(bitmap: Uint8Array): number {
  let n = 0;
  for (const b of bitmap) for (let v = b; v; v &= v - 1) n++;
  return n;
}
