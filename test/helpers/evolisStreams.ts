/**
 * Evolis command streams built by the tests, in the exact layouts of two other drivers (we may not
 * commit their captured files), from a known landscape bitmap. Written from the documents, apart
 * from the emulator's code, so the emulator is checked against a second reading:
 * - the official Windows driver (dpavlin/Printer-EVOLIS test.windows/*, research/evolis.md §5.3):
 *   Pr;k Pmi;F;s Pc;k;=;10 Pdt;DU Mr;s Ppws;T Ss Sr Dbc;k;2;LEN; DATA CR, NULs up to the next
 *   offset = 1 mod 64, Se;1 CR, 32 NULs; each line compressed as counter = index of its last ink
 *   byte + 1 (never the 0x00 / 0xFF shortcuts, at least 1 byte);
 * - dpavlin's driver (scripts/evolis-driver.pl): Pr;k Pmi;F;s Pc;k;=;10 Ss Sr Db;k;2; + 82 296
 *   bytes CR [Sv Pc;k;=;10 Db;k;2;... CR] Se CR, 64 NULs.
 * The printer layout is the landscape face turned as `pnmflip -rotate270` turns it (dpavlin
 * evolis-driver.pl l.56): 90 degrees clockwise, line r = column r, dot c = row 647 - c.
 */
export const W = 1016;
export const H = 648;

/** A landscape bitmap, 1 = ink, index y * 1016 + x. */
export type Landscape = Uint8Array;

/** A landscape face with a marker in the top-left corner (40 x 20), a frame and a diagonal hatch. */
export function knownFace(): Landscape {
  const img = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const marker = x < 40 && y < 20;
      const frame = x === 5 || y === 5 || x === W - 6 || y === H - 6;
      const hatch = (x + 2 * y) % 37 === 0 && x > 100;
      if (marker || frame || hatch) img[y * W + x] = 1;
    }
  }
  return img;
}

/** 1016 lines of 81 bytes, MSB first, 1 = ink: the face turned 90 degrees clockwise. */
export function toPrinterLayout(img: Landscape): Uint8Array {
  const out = new Uint8Array(W * 81);
  for (let r = 0; r < W; r++) {
    for (let c = 0; c < H; c++) {
      if (img[(H - 1 - c) * W + r]) out[r * 81 + (c >> 3)] |= 0x80 >> (c & 7);
    }
  }
  return out;
}

const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const frame = (s: string) => ascii(`\x1b${s}\r`);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(Buffer.concat(parts));

/** The Windows driver's compression: per line, counter = index of the last non-zero byte + 1, at least 1. */
export function windowsCompress(printer: Uint8Array): Uint8Array {
  const parts: number[] = [];
  for (let l = 0; l < W; l++) {
    const line = printer.subarray(l * 81, l * 81 + 81);
    let n = 81;
    while (n > 1 && line[n - 1] === 0) n--;
    parts.push(n, ...line.subarray(0, n));
  }
  return Uint8Array.from(parts);
}

/** A stream in the exact layout of the official Windows driver's captures. */
export function windowsDriverStream(printer: Uint8Array, time = 1281761799): Uint8Array {
  const data = windowsCompress(printer);
  const head = cat(...['Pr;k', 'Pmi;F;s', 'Pc;k;=;10', 'Pdt;DU', 'Mr;s', `Ppws;${time}`, 'Ss', 'Sr'].map(frame), ascii(`\x1bDbc;k;2;${data.length};`));
  const body = cat(head, data, ascii('\r'));
  const pad = (((1 - body.length) % 64) + 64) % 64; // the next ESC at an offset = 1 mod 64
  return cat(body, new Uint8Array(pad), frame('Se;1'), new Uint8Array(32));
}

/** A stream as dpavlin's evolis-driver.pl writes it (uncompressed Db). */
export function dpavlinStream(front: Uint8Array, back?: Uint8Array): Uint8Array {
  const parts = [frame('Pr;k'), frame('Pmi;F;s'), frame('Pc;k;=;10'), frame('Ss'), frame('Sr'), ascii('\x1bDb;k;2;'), front, ascii('\r')];
  if (back) parts.push(frame('Sv'), frame('Pc;k;=;10'), ascii('\x1bDb;k;2;'), back, ascii('\r'));
  parts.push(frame('Se'), new Uint8Array(64));
  return cat(...parts);
}

/** The landscape ink of a PNG the emulator wrote (pngjs decodes to RGBA). */
export function pngInk(png: { width: number; height: number; data: Uint8Array }): Landscape {
  const out = new Uint8Array(png.width * png.height);
  for (let i = 0; i < out.length; i++) out[i] = png.data[i * 4] < 128 ? 1 : 0;
  return out;
}

/** The first index where two byte arrays differ, -1 when they are equal (vitest's deep equality is slow on 658 368 elements). */
export function firstDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const i = a.findIndex((v, k) => v !== b[k]);
  return i;
}

export { ascii, cat, frame };
