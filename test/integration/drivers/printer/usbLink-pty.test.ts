/**
 * The USB printer class link (usbLink.ts) against a character device that stands in for
 * /dev/usb/lp0: a pty made by socat, bridged to the scripted printer on 127.0.0.1. The driver
 * does what S10 found usblp needs (write, reopen, poll the read); a pty, unlike usblp, keeps what
 * was written for whoever reads next, so the scripted printer sees each frame and its reply comes
 * back through the reopened device. The test holds one fd on the pty open (never reading it), so
 * the pty lives while the driver closes and reopens it. No real printer or usblp is used.
 * Skipped only when socat is missing outside CI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../../src/drivers/printer/frame.js';
import { decompressPanel } from '../../../../src/drivers/printer/panelCompression.js';
import { openPrinter } from '../../../../src/drivers/printer/url.js';
import { openUsbLink } from '../../../../src/drivers/printer/usbLink.js';
import { PANEL_LINE_BYTES, PANEL_LINES, type CardPrinter } from '../../../../src/drivers/printer/types.js';
import { startScriptedPrinter, type ScriptedPrinter } from '../../../helpers/scriptedPrinter.js';

const haveSocat = spawnSync('socat', ['-V']).status === 0;
const inCi = Boolean(process.env.CI);

describe.skipIf(!haveSocat && !inCi)('the usblp link over a socat pty (needs socat)', () => {
  let socat: ChildProcess;
  let dir: string;
  let device: string;
  let held: number | undefined;
  let server: ScriptedPrinter;
  /** What the scripted printer answers, by frame text; undefined: never. */
  let answers: Record<string, string | undefined> = {};

  beforeAll(async () => {
    server = await startScriptedPrinter((f) => (Object.prototype.hasOwnProperty.call(answers, f.text) ? answers[f.text] : 'OK\0'));
    dir = mkdtempSync(join(tmpdir(), 'hmsk-lp-'));
    device = join(dir, 'lp0');
    socat = spawn('socat', ['-d', '-d', `pty,rawer,link=${device}`, `TCP:127.0.0.1:${server.port}`], { stdio: 'ignore' });
    for (let i = 0; i < 200 && !existsSync(device); i++) await new Promise((r) => setTimeout(r, 25));
    if (!existsSync(device)) throw new Error('socat did not create the pty');
    held = openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  });

  afterAll(async () => {
    if (held !== undefined) closeSync(held);
    socat?.kill('SIGTERM');
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('write, reopen, read: replies with a NUL and without terminator', async () => {
    answers = { Rtp: 'Primacy', Rfv: 'V1.2\0' };
    const link = await openUsbLink(device);
    expect(await link.exchange(encodeCommand('Rtp'), { what: 'Rtp', timeoutMs: 2000 })).toBe('Primacy');
    expect(await link.exchange(encodeCommand('Rfv'), { what: 'Rfv', timeoutMs: 2000 })).toBe('V1.2');
    await link.close();
  });

  it('never answering: TIMEOUT naming the command', async () => {
    answers = { Sic: undefined };
    const link = await openUsbLink(device);
    const t0 = Date.now();
    await expect(link.exchange(encodeCommand('Sic'), { what: 'Sic', timeoutMs: 300 })).rejects.toMatchObject({ code: 'TIMEOUT', command: 'Sic', message: 'TIMEOUT: no reply to Sic within 300 ms' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a whole card through evolis:/dev/...: the panel (80 kB, more than the pty buffer) arrives as sent', async () => {
    answers = { 'Rlr;p': 'CARD\0', Rfv: 'V1\0', Rtp: 'Primacy\0', Rsn: 'S1\0' };
    const before = server.frames.length;
    const printer: CardPrinter = await openPrinter(`evolis:${device}`);
    const front = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES);
    for (let i = 0; i < front.length; i++) front[i] = (i * 7 + (i >> 5)) & 0xff;
    await printer.insertToContactless();
    await printer.writeStripe({ track2: '974760673=1234' });
    await printer.printAndEject({ data: front });
    expect((await printer.status()).position).toBe('print');
    await printer.close();
    const got = server.frames.slice(before);
    expect(got.map((f) => f.text)).toEqual(['Pem;2', 'Sic', 'Pmc;h', 'Pmt;2;2', 'Dm;2;974760673=1234', 'Smw', 'Pr;k', 'Ss', 'Sr', got[9].text, 'Se', 'Rfv', 'Rtp', 'Rsn', 'Rlr;p', 'Rse;o', 'Rse;f', 'Rlr;r']);
    expect(Buffer.from(decompressPanel(got[9].payload!)).equals(Buffer.from(front))).toBe(true);
  });
});
