/**
 * `hmskort card-back HOLDER.json --svg FILE [--png FILE --dpi N]`: the back of an ID-1 HMS card
 * (85.60 x 53.98 mm) with the barcode of spec section 6, organisation, card number and expiry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, UsageError } from '../command.js';
import { defineCommand } from '../declare.js';
import { checkOutputFiles, readJsonFile } from '../files.js';
import { holderArg, writeOut } from './barcodeShared.js';
import { cardBackLayout, cardBackSvg } from '../../barcode/cardBack.js';
import { cardBackPng } from '../../barcode/rasterize.js';
import { screenshotSvg } from '../../barcode/chromium.js';
import { withDpi } from '../../barcode/render.js';

const description = `Lays out the card back: barcode (module = --x-dots printer dots at --dpi, on the dot grid), the
human-readable digits, organisation name and number, card number, expiry; everything 6.3 mm from
the edges and the barcode 6.3 mm from other print; the top --stripe-mm left blank for the magnetic
stripe (0 for none). SVG is sized in mm. PNG at --dpi: 'builtin' draws it directly (OCR-B text,
no Norwegian letters: ASCII fallbacks), 'chromium' screenshots the SVG in headless Chromium.
QR code: off unless --qr-url or the config file's cardBack.qrUrlTemplate gives a URL template;
{payload}, {orgNumber}, {cardNumber} are replaced.`;

export const command = defineCommand(
  { name: 'card-back', summary: 'ID-1 card back (SVG in mm, PNG at a dpi) with barcode, org, card number, expiry' },
  {
    positionals: 'HOLDER.json',
    description,
    options: {
      svg: {},
      png: {},
      dpi: { default: 300 },
      'x-dots': {},
      'qr-url': {},
      config: {},
      'stripe-mm': { help: 'the top band left blank for the magnetic stripe (default 16; 0 for none)' },
      renderer: {},
      json: { help: 'print the layout (boxes in mm) as JSON' },
    },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one HOLDER.json');
      if (!values.svg && !values.png && !values.json) throw new UsageError('give --svg FILE and/or --png FILE (or --json for the layout)');
      const renderer = values.renderer;
      let qrUrlTemplate = values['qr-url'];
      if (!qrUrlTemplate && values.config) {
        const cfg = (await readJsonFile(values.config, ctx.cwd)) as { cardBack?: { qrUrlTemplate?: unknown } };
        const t = cfg?.cardBack?.qrUrlTemplate;
        if (t !== undefined && typeof t !== 'string') throw new UsageError(`${values.config}: cardBack.qrUrlTemplate must be a string`);
        qrUrlTemplate = t;
      }
      const holder = await holderArg(positionals[0], ctx.cwd);
      await checkOutputFiles([['--svg', values.svg], ['--png', values.png]], ctx.cwd);
      const dpi = values.dpi;
      const layoutOptions = {
        dpi,
        xDots: values['x-dots'],
        stripeBandMm: values['stripe-mm'],
        ...(qrUrlTemplate ? { qrUrlTemplate } : {}),
      };
      // Options that leave no room for the barcode (--stripe-mm, --qr-url) throw CardBackLayoutError, kind usage: exit 2.
      const layout = cardBackLayout(holder, layoutOptions);
      const svg = cardBackSvg(layout);
      const files: Record<string, string> = {};
      if (values.svg) files.svg = await writeOut(values.svg, svg, ctx.cwd);
      if (values.png) {
        let png: Uint8Array;
        if (renderer === 'chromium') {
          const dir = await mkdtemp(join(tmpdir(), 'hmskort-card-back-'));
          try {
            const path = join(dir, 'card-back.svg');
            await writeFile(path, svg);
            png = withDpi(await screenshotSvg(path, { widthMm: layout.widthMm, heightMm: layout.heightMm, dpi }), dpi);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
        } else png = cardBackPng(layout, dpi);
        files.png = await writeOut(values.png, png, ctx.cwd);
      }
      if (values.json) ctx.stdout(JSON.stringify({ payload: layout.payload, qrText: layout.qrText ?? null, widthMm: layout.widthMm, heightMm: layout.heightMm, dpi, boxes: layout.boxes, files }, null, 1) + '\n');
      else {
        ctx.stdout(`card back  85.60 x 53.98 mm, barcode ${layout.payload}${layout.qrText ? `, QR ${layout.qrText}` : ''}\n`);
        for (const [k, f] of Object.entries(files)) ctx.stdout(`${k.padEnd(11)}${f}\n`);
      }
      return EXIT.OK;
    },
  },
);
