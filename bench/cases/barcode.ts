/**
 * Barcode costs (spec section 6): bwip-js PNG and our SVG rendering, zxing-wasm read-back of a
 * rendered PNG, our reference Code 128 decoder on element widths, the ISO/IEC 15416 grader, and the
 * card-back layout. Inputs: 16 different payloads, cycled. Every check compares with the payload.
 * Decode robustness (rotation, scale, blur, noise) is bench/barcode-robustness.ts.
 */
import type { BenchCase } from '../harness.js';
import { cardDigits } from '../../src/codec/barcode.js';
import { orgCheckDigit } from '../../src/codec/checkDigits.js';
import { barcodeElements, renderBarcodePng, renderBarcodeSvg } from '../../src/barcode/render.js';
import { findSymbols } from '../../src/barcode/read.js';
import { decodeCode128 } from '../../src/barcode/code128Decoder.js';
import { gradeImage } from '../../src/barcode/grade/fromImage.js';
import { cardBackLayout, cardBackSvg } from '../../src/barcode/cardBack.js';

export function payloads(n: number, seed = 4711): string[] {
  const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % m);
  const out: string[] = [];
  while (out.length < n) {
    const first8 = String(80_000_000 + rnd(19_999_999)).padStart(8, '0');
    const c = orgCheckDigit(first8);
    if (c >= 0) out.push(cardDigits(first8 + c, String(1 + rnd(999_999_999))));
  }
  return out;
}

const P = payloads(16);
let i = 0;
const next = () => (i = (i + 1) % P.length);

interface Pngs {
  pngs: Uint8Array[];
}
const withPngs = async (): Promise<Pngs> => ({ pngs: await Promise.all(P.map((p) => renderBarcodePng(p, { dpi: 300, xDots: 3 }))) });

export const cases: BenchCase[] = [
  {
    name: 'barcode/render-png-bwipjs',
    fn: () => renderBarcodePng(P[next()], { dpi: 300, xDots: 3 }).then((png) => ({ png, p: P[i] })),
    check: (r: { png: Uint8Array }) => r.png.length > 100,
  },
  {
    name: 'barcode/render-svg',
    fn: () => ({ svg: renderBarcodeSvg(P[next()]), p: P[i] }),
    check: (r: { svg: string; p: string }) => r.svg.includes(r.p),
  },
  {
    name: 'barcode/read-zxing-wasm',
    setup: withPngs,
    fn: (s: Pngs) => findSymbols(s.pngs[next()], ['Code128']).then((f) => ({ text: f[0]?.text, p: P[i] })),
    check: (r: { text: string; p: string }) => r.text === r.p,
  },
  {
    name: 'barcode/decode-reference-widths',
    setup: () => ({ widths: P.map(barcodeElements) }),
    fn: (s: { widths: number[][] }) => ({ d: decodeCode128(s.widths[next()]), p: P[i] }),
    check: (r: { d: ReturnType<typeof decodeCode128>; p: string }) => r.d.ok && r.d.text === r.p,
  },
  {
    name: 'barcode/grade-iso15416',
    setup: withPngs,
    fn: (s: Pngs) => ({ g: gradeImage(s.pngs[next()]), p: P[i] }),
    check: (r: { g: ReturnType<typeof gradeImage>; p: string }) => r.g.text === r.p && r.g.letter === 'A',
  },
  {
    name: 'card-back/svg',
    fn: () => {
      const p = P[next()];
      return { svg: cardBackSvg(cardBackLayout({ orgNumber: p.slice(0, 9), orgName: 'Bygg AS', cardNumber: p.slice(9, 21), expiry: '2030-01-31' })), p };
    },
    check: (r: { svg: string; p: string }) => r.svg.includes(`>${r.p}</text>`),
  },
];
