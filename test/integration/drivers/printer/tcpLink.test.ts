/**
 * The network link over a real TCP socket on 127.0.0.1: a scripted printer (test/helpers/
 * scriptedPrinter.ts) answers with the reply forms we accept (research/evolis.md §1: no
 * terminator documented; ours: NUL, CR, LF or a 50 ms quiet gap), answers late, in pieces, or
 * never. No real printer is used.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openTcpLink } from '../../../../src/drivers/printer/tcpLink.js';
import { encodeCommand } from '../../../../src/drivers/printer/frame.js';
import type { PrinterLink } from '../../../../src/drivers/printer/link.js';
import { startScriptedPrinter, type ScriptedPrinter } from '../../../helpers/scriptedPrinter.js';

let printer: ScriptedPrinter | undefined;
let link: PrinterLink | undefined;
afterEach(async () => {
  await link?.close();
  await printer?.close();
  link = printer = undefined;
});

async function setup(script: Parameters<typeof startScriptedPrinter>[0]) {
  printer = await startScriptedPrinter(script);
  link = await openTcpLink('127.0.0.1', printer.port);
  return { printer, link };
}

const ask = (l: PrinterLink, cmd: string, timeoutMs = 1000, signal?: AbortSignal) => l.exchange(encodeCommand(cmd), { what: cmd, timeoutMs, signal });

describe('replies over TCP (emulator / scripted replies; no real printer)', () => {
  it.each([
    ['OK', 'OK'],
    ['OK\0', 'OK'],
    ['OK\r\n', 'OK'],
    ['\0\0FEEDER EMPTY\0', 'FEEDER EMPTY'],
  ])('%j is read as %j', async (reply, expected) => {
    const { link } = await setup(() => reply);
    expect(await ask(link, 'Sic')).toBe(expected);
  });

  it('a reply written in two pieces 20 ms apart is one reply (within the 50 ms quiet gap)', async () => {
    const { link, printer } = await setup(() => undefined);
    const reply = ask(link, 'Rtp');
    await new Promise((r) => setTimeout(r, 50));
    expect(printer.frames.map((f) => f.text)).toEqual(['Rtp']);
    // Reach into the server's side: write "Prim", then "acy" 20 ms later.
    const socket = rawServerSocket(printer);
    socket.write('Prim');
    await new Promise((r) => setTimeout(r, 20));
    socket.write('acy');
    expect(await reply).toBe('Primacy');
  });

  it('never answering: TIMEOUT naming the command and the time-out, in about that time', async () => {
    const { link } = await setup(() => undefined);
    const t0 = Date.now();
    const err = await ask(link, 'Sic', 300).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PrinterError', code: 'TIMEOUT', kind: 'device', command: 'Sic', message: 'TIMEOUT: no reply to Sic within 300 ms' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a late reply to a command that timed out is not taken for the next reply', async () => {
    const { link, printer } = await setup((f) => (f.text === 'Rfv' ? 'V2.1' : undefined));
    await expect(ask(link, 'Sic', 100)).rejects.toMatchObject({ code: 'TIMEOUT' });
    rawServerSocket(printer).write('OK\0'); // Sic's reply, too late
    await new Promise((r) => setTimeout(r, 30));
    expect(await ask(link, 'Rfv')).toBe('V2.1');
  });

  it('an abort rejects with the signal\'s reason', async () => {
    const { link } = await setup(() => undefined);
    const ac = new AbortController();
    const p = ask(link, 'Sic', 5000, ac.signal);
    ac.abort(new Error('operator stopped'));
    await expect(p).rejects.toThrow('operator stopped');
  });

  it('the printer closing the connection mid-command: IO; the next command connects again', async () => {
    const { link, printer } = await setup((f) => (f.text === 'Rfv' ? 'V2\0' : undefined));
    const p = ask(link, 'Sic', 5000);
    await new Promise((r) => setTimeout(r, 30));
    rawServerSocket(printer).destroy();
    await expect(p).rejects.toMatchObject({ code: 'IO', kind: 'device', message: /closed the connection/ });
    expect(await ask(link, 'Rfv')).toBe('V2');
    expect(printer.connections()).toBe(2);
  });

  it('the printer gone for good: IO naming the address at the next command', async () => {
    const { link, printer } = await setup(() => 'OK\0');
    await printer.close();
    await new Promise((r) => setTimeout(r, 30));
    await expect(ask(link, 'Rfv')).rejects.toMatchObject({ code: 'IO', message: /cannot connect to the printer at 127\.0\.0\.1/ });
  });

  it('after close(), every command fails: IO', async () => {
    const { link } = await setup(() => 'OK\0');
    await link.close();
    await expect(ask(link, 'Rfv')).rejects.toMatchObject({ code: 'IO', message: /closed/ });
  });

  it('one command at a time: a second exchange while one is waiting is refused', async () => {
    const { link } = await setup(() => undefined);
    const first = ask(link, 'Sic', 300);
    await expect(ask(link, 'Rfv')).rejects.toMatchObject({ code: 'IO', message: /busy/ });
    await expect(first).rejects.toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('connecting (emulator / scripted replies; no real printer)', () => {
  it('nobody listening: IO naming the address', async () => {
    const p = await startScriptedPrinter(() => 'OK');
    const port = p.port;
    await p.close();
    await expect(openTcpLink('127.0.0.1', port)).rejects.toMatchObject({ code: 'IO', message: new RegExp(`127\\.0\\.0\\.1:${port}`) });
  });
});

function rawServerSocket(p: ScriptedPrinter): Socket {
  const s = p.socket();
  if (!s) throw new Error('no connection to the scripted printer');
  return s;
}
