/**
 * Printer URLs, and opening the printer one names:
 *
 *   evolis:/dev/usb/lp0            an Evolis on the USB printer class device (usbLink.ts)
 *   evolis:tcp://HOST:PORT         an Evolis on the network (tcpLink.ts); `socket://` as libevolis
 *                                  writes it (S8 l.994-1010) is taken too. The port is required:
 *                                  Evolis's default is compiled into libevolis and not published
 *                                  [UNK] (research/evolis.md §1).
 *   emulator                       the printer emulator of hmskort/testing, given by the caller
 *                                  as `opts.emulator` (the CLI wires it; this module does not
 *                                  import the testing code).
 */
import { needOptions, needString } from '../../codec/guard.js';
import { PrinterError } from './errors.js';
import { EvolisPrinter, type EvolisOptions } from './evolis.js';
import type { PrinterLink } from './link.js';
import { openTcpLink } from './tcpLink.js';
import type { CardPrinter } from './types.js';
import { openUsbLink } from './usbLink.js';

export type PrinterUrl = { readonly transport: 'usb'; readonly path: string } | { readonly transport: 'tcp'; readonly host: string; readonly port: number } | { readonly transport: 'emulator' };

const FORMS = 'evolis:/dev/usb/lpN, evolis:tcp://HOST:PORT or emulator';

function bad(url: string, why: string): PrinterError {
  return new PrinterError('BAD_URL', `printer "${url}": ${why} (one of ${FORMS})`);
}

export function parsePrinterUrl(url: string): PrinterUrl {
  needString('parsePrinterUrl', 'url', url);
  if (url === 'emulator') return { transport: 'emulator' };
  if (!url.startsWith('evolis:')) throw bad(url, 'unknown printer family');
  const rest = url.slice('evolis:'.length);
  if (rest.startsWith('/')) {
    if (rest.includes('\0') || rest.endsWith('/')) throw bad(url, 'not a device path');
    return { transport: 'usb', path: rest };
  }
  const m = /^(tcp|socket):\/\/(.*)$/.exec(rest);
  if (!m) throw bad(url, 'a device path starts with /, a network printer with tcp://');
  let parsed: URL;
  try {
    parsed = new URL(`tcp://${m[2]}`);
  } catch {
    throw bad(url, 'not HOST:PORT');
  }
  if (parsed.pathname !== '' && parsed.pathname !== '/') throw bad(url, 'a path after HOST:PORT');
  if (parsed.username || parsed.search || parsed.hash) throw bad(url, 'only HOST:PORT');
  // new URL drops a port that is the scheme's default; tcp: has none, so an empty port is a missing one.
  if (parsed.port === '') throw bad(url, "the port is required: Evolis's default is not published");
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { transport: 'tcp', host, port: Number(parsed.port) };
}

export interface OpenPrinterOptions extends EvolisOptions {
  /** For `emulator`: the emulator as a link (bytes go through our encoder) or as a CardPrinter. */
  emulator?: () => PrinterLink | CardPrinter | Promise<PrinterLink | CardPrinter>;
  /** Connection time-out of a network printer (default 5000 ms). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

const isLink = (x: PrinterLink | CardPrinter): x is PrinterLink => typeof (x as Partial<PrinterLink>).exchange === 'function';

/** Opens the printer a URL names (see the forms above). */
export async function openPrinter(url: string, opts: OpenPrinterOptions = {}): Promise<CardPrinter> {
  needString('openPrinter', 'url', url);
  needOptions('openPrinter', 'opts', opts);
  const where = parsePrinterUrl(url);
  if (where.transport === 'emulator') {
    if (!opts.emulator) throw new PrinterError('BAD_URL', 'printer "emulator": no emulator was given to openPrinter (opts.emulator)');
    const e = await opts.emulator();
    return isLink(e) ? new EvolisPrinter(e, opts) : e;
  }
  const link = where.transport === 'usb' ? await openUsbLink(where.path) : await openTcpLink(where.host, where.port, { connectTimeoutMs: opts.connectTimeoutMs, signal: opts.signal });
  return new EvolisPrinter(link, opts);
}
