/**
 * `hmskort card-front HOLDER.json --svg FILE [--png FILE] [--panel FILE] [--photo FILE]`: the front
 * of an ID-1 HMS card (src/faces/cardFront.ts) as SVG in mm, and as the printer's monochrome panel
 * (src/faces/panel.ts): a PNG of it as it prints, or its 82 296 bytes as a printer driver sends them.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT, UsageError } from '../command.js';
import { defineCommand } from '../declare.js';
import { checkOutputFiles, FileReadError } from '../files.js';
import { holderArg, writeOut } from './barcodeShared.js';

const description = `Lays out the card front: a banner with the category (construction: solid black, "BYGG OG
ANLEGG"; cleaning: outlined, "RENHOLD"), the holder's name, the employer and its organisation number,
the card number and the expiry date, and --photo (JPEG or PNG; cropped to 22 x 28.3 mm and dithered
by Floyd-Steinberg for a monochrome ribbon). Text is set in DejaVu Sans (Debian fonts-dejavu-core),
measured with the font it is drawn in: a long name shrinks to a minimum size, then wraps onto two
lines at a space. --png and --panel are rendered by resvg at 300 dpi on the printer's 1016 x 648 dot
panel; --panel writes it as the printer takes it (Evolis A5013: 1016 lines x 81 bytes, MSB first,
1 = ink; the face turned 90 degrees clockwise). docs/printers.md "Card faces" says more.`;

export const command = defineCommand(
  { name: 'card-front', summary: 'ID-1 card front (SVG in mm, PNG or printer panel at 300 dpi) with name, employer, photo' },
  {
    positionals: 'HOLDER.json',
    description,
    options: {
      svg: {},
      png: { help: 'write the printed panel as a PNG (landscape, 300 dpi)' },
      panel: {},
      photo: {},
      truncate: {},
      json: { help: 'print the layout (boxes in mm, text sizes and lines) as JSON' },
    },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one HOLDER.json');
      if (!values.svg && !values.png && !values.panel && !values.json) throw new UsageError('give --svg FILE, --png FILE and/or --panel FILE (or --json for the layout)');
      const holder = await holderArg(positionals[0], ctx.cwd, { truncate: values.truncate });
      await checkOutputFiles([['--svg', values.svg], ['--png', values.png], ['--panel', values.panel]], ctx.cwd);
      let photo: Uint8Array | undefined;
      if (values.photo) {
        try {
          photo = new Uint8Array(await readFile(resolve(ctx.cwd, values.photo)));
        } catch (e) {
          throw new FileReadError(values.photo, e);
        }
      }
      const { cardFrontLayout, cardFrontSvg } = await import('../../faces/cardFront.js');
      const { renderFacePanel, panelPng } = await import('../../faces/panel.js');
      // A photo that does not decode is an ImageError (kind data, exit 3); a missing font FaceFontError (config).
      const layout = cardFrontLayout(holder, photo ? { photo, photoFile: values.photo } : {});
      const svg = cardFrontSvg(layout);
      const files: Record<string, string> = {};
      if (values.svg) files.svg = await writeOut(values.svg, svg, ctx.cwd);
      if (values.png || values.panel) {
        const panel = renderFacePanel(svg);
        if (values.png) files.png = await writeOut(values.png, panelPng(panel), ctx.cwd);
        if (values.panel) files.panel = await writeOut(values.panel, panel.data, ctx.cwd);
      }
      const texts = Object.fromEntries(Object.entries(layout.texts).map(([k, t]) => [k, { size: t.size, lines: t.lines.map((l) => l.text), belowMinimum: t.belowMinimum }]));
      if (values.json) ctx.stdout(JSON.stringify({ category: layout.category, widthMm: layout.widthMm, heightMm: layout.heightMm, dpi: layout.dpi, boxes: layout.boxes, texts, files }, null, 1) + '\n');
      else {
        ctx.stdout(`card front  85.60 x 53.98 mm, ${layout.category}, name in ${layout.texts.name.lines.length} line(s) at ${layout.texts.name.size} mm\n`);
        for (const [k, t] of Object.entries(texts)) if (t.belowMinimum) ctx.stdout(`warning    ${k} set below its minimum size (${t.size} mm): ${t.lines.join(' / ')}\n`);
        for (const [k, f] of Object.entries(files)) ctx.stdout(`${k.padEnd(11)}${f}\n`);
      }
      return EXIT.OK;
    },
  },
);
