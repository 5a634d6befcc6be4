/**
 * Printer URLs: evolis:/dev/usb/lpN, evolis:tcp://HOST:PORT (socket:// as libevolis writes it,
 * S8), emulator. The port is required: Evolis's default is not published (research/evolis.md §1).
 */
import { describe, expect, it } from 'vitest';
import { openPrinter, parsePrinterUrl } from '../../../../src/drivers/printer/url.js';
import { EvolisPrinter } from '../../../../src/drivers/printer/evolis.js';
import type { PrinterLink } from '../../../../src/drivers/printer/link.js';

describe('parsePrinterUrl (emulator / scripted replies; no real printer)', () => {
  it.each([
    ['evolis:/dev/usb/lp0', { transport: 'usb', path: '/dev/usb/lp0' }],
    ['evolis:/dev/usblp1', { transport: 'usb', path: '/dev/usblp1' }],
    ['evolis:tcp://192.168.1.20:9100', { transport: 'tcp', host: '192.168.1.20', port: 9100 }],
    ['evolis:socket://printer.local:5000', { transport: 'tcp', host: 'printer.local', port: 5000 }],
    ['evolis:tcp://[::1]:9100', { transport: 'tcp', host: '::1', port: 9100 }],
    ['emulator', { transport: 'emulator' }],
  ])('%s', (url, expected) => {
    expect(parsePrinterUrl(url)).toEqual(expected);
  });

  it.each([
    ['evolis:tcp://192.168.1.20', /the port is required/],
    ['evolis:tcp://host:99999', /not HOST:PORT/],
    ['evolis:tcp://host:9100/x', /a path after HOST:PORT/],
    ['evolis:usb0', /a device path starts with \//],
    ['zebra:/dev/usb/lp0', /unknown printer family/],
    ['/dev/usb/lp0', /unknown printer family/],
    ['evolis:/dev/usb/', /not a device path/],
  ])('%s is refused: BAD_URL, usage', (url, message) => {
    let err: unknown;
    try {
      parsePrinterUrl(url);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'BAD_URL', kind: 'usage' });
    expect((err as Error).message).toMatch(message);
  });
});

describe('openPrinter (emulator / scripted replies; no real printer)', () => {
  it('emulator without a hook: BAD_URL saying what is missing', async () => {
    await expect(openPrinter('emulator')).rejects.toMatchObject({ code: 'BAD_URL', message: /no emulator was given/ });
  });

  it('emulator as a link: our driver on top of it', async () => {
    const link: PrinterLink = { exchange: async () => 'OK', close: async () => undefined };
    expect(await openPrinter('emulator', { emulator: () => link })).toBeInstanceOf(EvolisPrinter);
  });

  it('a device that is not there: IO, naming the path', async () => {
    await expect(openPrinter('evolis:/nonexistent/lp9')).rejects.toMatchObject({ code: 'IO', kind: 'device', message: /\/nonexistent\/lp9/ });
  });
});
