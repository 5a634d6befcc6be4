/**
 * Screenshots of SVG files through a real headless Chromium (Debian's `chromium` package): how a
 * browser, a print dialog or a card-printer driver built on one would render our card-back SVG.
 * The binary is found from $HMSKORT_CHROMIUM or on PATH (chromium, chromium-browser,
 * google-chrome). Chromium runs with a throw-away profile and no network features.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { needString, needObject } from '../codec/guard.js';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** Path of a Chromium binary, or undefined when none is installed. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  needObject('findChromium', 'env', env);
  const candidates = env.HMSKORT_CHROMIUM ? [env.HMSKORT_CHROMIUM] : (env.PATH ?? '').split(delimiter).flatMap((d) => NAMES.map((n) => join(d, n)));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export interface ScreenshotOptions {
  /** Page size in millimetres (the SVG's size). */
  widthMm: number;
  heightMm: number;
  /** Resolution of the screenshot, dots per inch (CSS has 96 px per inch). */
  dpi: number;
  chromium?: string;
  timeoutMs?: number;
}

/** Opens `svgPath` in headless Chromium and returns the PNG screenshot bytes. */
export async function screenshotSvg(svgPath: string, o: ScreenshotOptions): Promise<Uint8Array> {
  needString('screenshotSvg', 'svgPath', svgPath);
  needObject('screenshotSvg', 'options', o);
  const bin = o.chromium ?? (await findChromium());
  if (!bin) throw Object.assign(new Error('chromium not found (install Debian package chromium or set HMSKORT_CHROMIUM)'), { code: 'ENOCHROMIUM' });
  const dir = await mkdtemp(join(tmpdir(), 'hmskort-chromium-'));
  const out = join(dir, 'shot.png');
  const css = (mm: number) => Math.ceil((mm / 25.4) * 96);
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${join(dir, 'profile')}`,
    `--window-size=${css(o.widthMm)},${css(o.heightMm)}`,
    `--force-device-scale-factor=${o.dpi / 96}`,
    `--screenshot=${out}`,
    pathToFileURL(svgPath).href,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(bin, args, { timeout: o.timeoutMs ?? 60_000 }, (err, _stdout, stderr) => {
        if (err) reject(Object.assign(new Error(`chromium failed: ${err.message} ${String(stderr).slice(-400)}`), { code: 'ECHROMIUM' }));
        else resolve();
      });
    });
    return new Uint8Array(await readFile(out));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
