/**
 * The line compression of a 2-level (K or O) panel for `Dbc` (Evolis Programming Guide A5013
 * rev. E, S1 p.5-6 and p.15). The panel is 1016 lines of 81 bytes (types.ts); each line is sent as
 *
 *   0x00            a white line (all 81 bytes 0x00)                       S1 p.5
 *   0xFF            a black line (all 81 bytes 0xFF)                       S1 p.5
 *   N, b1 .. bN     N in 1..81: "the counter corresponds to the index of the last byte of the
 *                   line" (S1 p.6): the bytes after bN are 0x00 and are not sent
 *
 * The official Windows driver never uses the two one-byte forms (evolis.md §4, all 8 captures of
 * S10); the guide documents them, so the encoder uses them and the decoder accepts both.
 * Colour (Y/M/C) panels use another scheme (S1 p.5) and are not handled here.
 */
import { needBytes } from '../../codec/guard.js';
import { PrinterError } from './errors.js';
import { PANEL_LINES, PANEL_LINE_BYTES } from './types.js';

const WHITE_LINE = 0x00;
const BLACK_LINE = 0xff;

/** The Dbc payload of a panel of 1016 x 81 bytes. */
export function compressPanel(panel: Uint8Array): Uint8Array {
  needBytes('compressPanel', 'panel', panel);
  if (panel.length !== PANEL_LINES * PANEL_LINE_BYTES) {
    throw new PrinterError('BAD_DATA', `compressPanel: a panel is ${PANEL_LINES} lines of ${PANEL_LINE_BYTES} bytes (${PANEL_LINES * PANEL_LINE_BYTES}), got ${panel.length} bytes`);
  }
  // At most one counter byte more than the panel itself.
  const out = new Uint8Array(panel.length + PANEL_LINES);
  let o = 0;
  for (let line = 0; line < PANEL_LINES; line++) {
    const row = panel.subarray(line * PANEL_LINE_BYTES, (line + 1) * PANEL_LINE_BYTES);
    let last = PANEL_LINE_BYTES;
    while (last > 0 && row[last - 1] === 0) last--;
    if (last === 0) {
      out[o++] = WHITE_LINE;
    } else if (last === PANEL_LINE_BYTES && row.every((b) => b === 0xff)) {
      out[o++] = BLACK_LINE;
    } else {
      out[o++] = last;
      out.set(row.subarray(0, last), o);
      o += last;
    }
  }
  return out.slice(0, o);
}

/**
 * The panel a Dbc payload describes; exactly 1016 lines, nothing after them. Errors name the line
 * and the offset where the payload goes wrong.
 */
export function decompressPanel(payload: Uint8Array): Uint8Array {
  needBytes('decompressPanel', 'payload', payload);
  const panel = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES);
  let i = 0;
  for (let line = 0; line < PANEL_LINES; line++) {
    if (i >= payload.length) throw new PrinterError('BAD_DATA', `decompressPanel: the payload ends at line ${line} of ${PANEL_LINES}`);
    const n = payload[i++];
    const at = line * PANEL_LINE_BYTES;
    if (n === BLACK_LINE) {
      panel.fill(0xff, at, at + PANEL_LINE_BYTES);
    } else if (n > PANEL_LINE_BYTES) {
      throw new PrinterError('BAD_DATA', `decompressPanel: line ${line} (offset ${i - 1}) has counter ${n}, more than ${PANEL_LINE_BYTES}`);
    } else {
      if (i + n > payload.length) throw new PrinterError('BAD_DATA', `decompressPanel: line ${line} needs ${n} bytes, the payload ends after ${payload.length - i}`);
      panel.set(payload.subarray(i, i + n), at);
      i += n;
    }
  }
  if (i !== payload.length) throw new PrinterError('BAD_DATA', `decompressPanel: ${payload.length - i} bytes after line ${PANEL_LINES - 1}`);
  return panel;
}
