/**
 * `hmskort barcode render|check`: print-ready Code 128 of the card payload (spec section 6), and
 * reading back + ISO/IEC 15416 grading of a printed or scanned barcode image.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Values } from '../declare.js';
import { FileReadError, checkOutputFiles } from '../files.js';
import { payloadArg, writeOut } from './barcodeShared.js';
import { barcodeElements, barcodeGeometry, renderBarcodePng, renderBarcodeSvg } from '../../barcode/render.js';
import { findSymbols } from '../../barcode/read.js';
import { decodeImage, isPng, toGray } from '../../barcode/image.js';
import { checkImageByteLength, ImageError, IMAGE_LIMITS } from '../../barcode/imageHeader.js';
import { pngDpi } from '../../barcode/pngDpi.js';
import { gradeGrayImage, type SymbolGrade } from '../../barcode/grade/index.js';
import { decodeCode128 } from '../../barcode/code128Decoder.js';
import { parseBarcodePayload } from '../../codec/barcode.js';
import { HmskError } from '../../codec/errors.js';

const description = `render: Code 128 (code set C) of the 22-digit payload; PNG one pixel per printer dot, black on
white, module = --x-dots dots, quiet zones of 10 to 999 modules, pHYs = --dpi; SVG sized in mm. Without
--png/--svg prints the geometry only. Every rendered PNG is read back (zxing-wasm and our reference
decoder) before it is written.
check: reads Code 128 and QR codes from a PNG/JPEG, validates the payload (22 digits, Luhn, org
number), compares it with --expect, and grades print quality after ISO/IEC 15416 (10 scan lines;
grade/aperture/wavelength). Exit 1 when no valid payload, a mismatch, or a grade below --min-grade.
Images are refused before decoding when over ${IMAGE_LIMITS.maxBytes / 1024 / 1024} MiB or ${IMAGE_LIMITS.maxPixels / 1e6} megapixels (width x height from
the PNG/JPEG header); a file that is no image, truncated or damaged is bad input data: exit 3.`;

const RENDER = { png: {}, svg: {}, dpi: { default: 300 }, 'x-dots': {}, 'height-mm': {}, 'quiet-zone': {}, json: {} } as const;
const CHECK = {
  expect: {},
  dpi: { help: 'the image resolution (default: the PNG pHYs chunk)' },
  aperture: {},
  wavelength: {},
  'min-grade': {},
  json: {},
} as const;

export const command = defineGroup({
  name: 'barcode',
  summary: 'render the Code 128 barcode; read back and grade (ISO/IEC 15416) an image',
  description,
  subcommands: {
    render: declare({ positionals: 'HOLDER.json|PAYLOAD', options: RENDER, run: render }),
    check: declare({ positionals: 'IMAGE', options: CHECK, run: check }),
  },
});

async function render(values: Values<typeof RENDER>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('give exactly one HOLDER.json or 22-digit payload');
  const payload = await payloadArg(positionals[0], ctx.cwd);
  await checkOutputFiles([['--png', values.png], ['--svg', values.svg]], ctx.cwd);
  const opts = { dpi: values.dpi, xDots: values['x-dots'], heightMm: values['height-mm'], quietZone: values['quiet-zone'] };
  const g = barcodeGeometry(payload, opts);
  const files: Record<string, string> = {};
  if (values.png) {
    const png = await renderBarcodePng(payload, opts);
    const back = (await findSymbols(png, ['Code128']))[0]?.text;
    const gray = toGray(decodeImage(png));
    const row = gray.data.subarray((gray.height >> 1) * gray.width, ((gray.height >> 1) + 1) * gray.width);
    const ours = decodeCode128(runLengths(row).slice(1, -1));
    if (back !== payload || !ours.ok || ours.text !== payload) throw new Error(`rendered PNG does not read back (zxing: ${back ?? 'nothing'}, reference decoder: ${ours.ok ? ours.text : ours.reason})`);
    files.png = await writeOut(values.png, png, ctx.cwd);
  }
  if (values.svg) files.svg = await writeOut(values.svg, renderBarcodeSvg(payload, opts), ctx.cwd);
  const out = { payload, modules: barcodeElements(payload).reduce((a, b) => a + b, 0), ...g, files };
  if (values.json) ctx.stdout(JSON.stringify(out, null, 1) + '\n');
  else {
    ctx.stdout(`payload   ${payload}\n`);
    ctx.stdout(`module    ${g.xDots} dots at ${g.dpi} dpi = ${g.moduleMm.toFixed(4)} mm\n`);
    ctx.stdout(`size      ${g.widthMm.toFixed(3)} x ${g.heightMm.toFixed(3)} mm (${g.widthPx} x ${g.heightPx} px), quiet zones ${g.quietZone} modules\n`);
    for (const [k, f] of Object.entries(files)) ctx.stdout(`${k.padEnd(10)}${f}${k === 'png' ? '  (read back: zxing-wasm and reference decoder agree)' : ''}\n`);
  }
  return EXIT.OK;
}

function runLengths(row: Uint8Array): number[] {
  const out: number[] = [];
  let prev = row[0] < 128;
  let n = 0;
  for (const v of row) {
    const d = v < 128;
    if (d === prev) n++;
    else {
      out.push(n);
      prev = d;
      n = 1;
    }
  }
  out.push(n);
  return out;
}

async function check(values: Values<typeof CHECK>, positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length !== 1) throw new UsageError('give exactly one IMAGE (PNG or JPEG)');
  const minGrade = values['min-grade'];
  const expected = values.expect ? await payloadArg(values.expect, ctx.cwd) : undefined;
  const file = positionals[0];
  const full = resolve(ctx.cwd, file);
  let bytes: Uint8Array;
  try {
    // The size limit before the file is read at all, the pixel limit before it is decoded (IMAGE_LIMITS).
    checkImageByteLength((await stat(full)).size, file);
    bytes = new Uint8Array(await readFile(full));
  } catch (e) {
    if (e instanceof ImageError) throw e;
    throw new FileReadError(file, e);
  }
  // Decoded once, for zxing and for the grader.
  const image = decodeImage(bytes, file);
  const symbols = await findSymbols(image);
  const code128 = symbols.find((s) => s.format === 'Code128');
  let fields: ReturnType<typeof parseBarcodePayload> | undefined;
  let error: string | undefined;
  if (code128) {
    try {
      fields = parseBarcodePayload(code128.text);
    } catch (e) {
      if (!(e instanceof HmskError)) throw e;
      error = e.code;
    }
  } else error = 'NOT_FOUND';
  const dpi = values.dpi ?? (isPng(bytes) ? pngDpi(bytes) : undefined);
  const grade = gradeGrayImage(toGray(image), { ...(dpi ? { dpi } : {}), apertureMils: values.aperture, wavelengthNm: values.wavelength });
  const match = expected === undefined ? undefined : code128?.text === expected;
  const ok = fields !== undefined && match !== false && (minGrade === undefined || grade.grade >= minGrade);
  if (values.json) {
    const report = { payload: code128?.text ?? null, valid: fields !== undefined, fields: fields ?? null, error: error ?? null, expected: expected ?? null, match: match ?? null, symbols, grade };
    ctx.stdout(JSON.stringify(report, null, 1) + '\n');
  } else printCheck(ctx, code128?.text, fields, error, expected, match, grade, symbols.filter((s) => s.format !== 'Code128'));
  return ok ? EXIT.OK : EXIT.FAILED;
}

const pct = (v: number) => `${(v * 100).toFixed(0)}%`.padStart(5);
const L = 'FDCBA';

function printCheck(
  ctx: CliContext,
  text: string | undefined,
  fields: { orgNumber: string; cardNumber: string } | undefined,
  error: string | undefined,
  expected: string | undefined,
  match: boolean | undefined,
  g: SymbolGrade,
  others: { format: string; text: string }[],
): void {
  ctx.stdout(`payload   ${text ?? '(no Code 128 found)'}${fields ? `  org ${fields.orgNumber}, card ${fields.cardNumber}` : error ? `  ${error}` : ''}\n`);
  if (expected !== undefined) ctx.stdout(`expected  ${expected}  ${match ? 'MATCH' : 'MISMATCH'}\n`);
  for (const o of others) ctx.stdout(`${o.format.padEnd(10)}${o.text}\n`);
  const x = g.moduleWidthPx ? `X ${g.moduleWidthPx.toFixed(2)} px${g.moduleWidthMm ? ` (${g.moduleWidthMm.toFixed(3)} mm)` : ''}` : 'X not measured';
  const qz = g.quietZoneLeft !== undefined ? `  quiet zones ${g.quietZoneLeft.toFixed(1)} X / ${g.quietZoneRight!.toFixed(1)} X` : '';
  const h = g.barHeightMm ? `  bar height ${g.barHeightMm.toFixed(1)} mm` : g.barHeightPx ? `  bar height ${g.barHeightPx} px` : '';
  ctx.stdout(`grade     ${g.formatted} (${g.letter})  ISO/IEC 15416, ${g.lines.length} scan lines${g.inconsistent ? ', lines decode differently' : ''}\n`);
  ctx.stdout(`          ${x}${qz}${h}\n`);
  ctx.stdout('line  row  Rmin   SC  ECmin  MOD  Defects    V  decode  grade\n');
  g.lines.forEach((l, i) => {
    const gr = l.grades;
    ctx.stdout(
      `${String(i + 1).padStart(4)} ${String(l.row).padStart(4)} ${pct(l.rMin)}${L[gr.rMin]} ${pct(l.symbolContrast)}${L[gr.symbolContrast]} ${pct(l.edgeContrastMin)}${L[gr.edgeContrastMin]} ` +
        `${l.modulation.toFixed(2)}${L[gr.modulation]}   ${l.defects.toFixed(2)}${L[gr.defects]} ${l.decodability.toFixed(2)}${L[gr.decodability]}  ${gr.decode ? 'A' : 'F'}       ${L[l.grade]}${l.failure ? `  (${l.failure})` : ''}\n`,
    );
  });
}
