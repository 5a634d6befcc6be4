/**
 * The Evolis printer emulator over a real TCP socket on 127.0.0.1 (src/testing/evolisEmulator/
 * transports.ts): one command at a time, each reply read as complete after a 50 ms quiet gap (the
 * replies carry no terminator, S9/S16), a whole print job in odd-sized writes, and a client that
 * vanishes mid-payload without stopping the server. No real printer was used.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvolisEmulator } from '../../../src/testing/evolisEmulator/emulator.js';
import { serveEvolisEmulator, type EvolisServer } from '../../../src/testing/evolisEmulator/transports.js';
import { firstDiff, knownFace, toPrinterLayout, windowsDriverStream } from '../../helpers/evolisStreams.js';

const QUIET_MS = 50;

/** A client that sends a command and takes the reply as complete after QUIET_MS without bytes (time-out 2 s). */
async function client(port: number) {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  let buffered = '';
  socket.on('data', (b: Buffer) => (buffered += b.toString('latin1')));
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      const start = Date.now();
      let seen = -1;
      const tick = setInterval(() => {
        if (buffered.length > 0 && buffered.length === seen) {
          clearInterval(tick);
          const r = buffered;
          buffered = '';
          resolve(r);
        } else if (Date.now() - start > 2000) {
          clearInterval(tick);
          reject(new Error(`no reply within 2000 ms (got ${JSON.stringify(buffered)})`));
        }
        seen = buffered.length;
      }, QUIET_MS);
    });
  return {
    socket,
    ask: async (cmd: string) => {
      socket.write(`\x1b${cmd}\r`, 'latin1');
      return reply();
    },
    send: (bytes: Uint8Array) => socket.write(bytes),
    reply,
  };
}

describe('the emulator on TCP (emulator / scripted replies; no real printer)', () => {
  const em = new EvolisEmulator();
  let server: EvolisServer;
  beforeAll(async () => {
    server = await serveEvolisEmulator(em);
  });
  afterAll(() => server.close());

  it('listens on a free port of 127.0.0.1 and answers one command at a time, with no terminator', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    const c = await client(server.port);
    expect(await c.ask('Rlr;p')).toBe('OK');
    expect(await c.ask('Sic')).toBe('OK');
    expect(await c.ask('Rlr;p')).toBe('CONTACTLESS CARD');
    expect(await c.ask('Nope')).toBe('ERROR CDE');
    expect(await c.ask('Ser')).toBe('OK');
    c.socket.destroy();
  });

  it('takes a whole Windows-driver print job in odd-sized writes and prints its panel', async () => {
    const face = knownFace();
    const stream = windowsDriverStream(toPrinterLayout(face));
    const c = await client(server.port);
    for (let at = 0; at < stream.length; at += 4099) c.send(stream.subarray(at, at + 4099));
    const replies = await c.reply();
    expect(replies).toBe('OK'.repeat(10));
    const card = em.cards.at(-1)!;
    expect(card.fate).toBe('output');
    expect(firstDiff(card.panels[0].bitmap!, toPrinterLayout(face))).toBe(-1);
    c.socket.destroy();
  });

  it('a client that disconnects in the middle of a payload stops nothing: the next client is served', async () => {
    const a = await client(server.port);
    a.send(Buffer.from('\x1bDb;k;2;' + 'x'.repeat(1000), 'latin1'));
    a.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const b = await client(server.port);
    expect(await b.ask('Rfv')).toBe('hmskort-emulator');
    b.socket.destroy();
    expect(em.transcript.at(-2)).toMatchObject({ command: 'Db', problem: expect.stringContaining('ends 81296 bytes into') });
  });
});
