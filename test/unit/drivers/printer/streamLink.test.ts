/**
 * The link over a caller's duplex stream (streamLink.ts), with an in-memory duplex that answers
 * each frame as a script says: how the emulator of hmskort/testing is plugged in without a socket.
 */
import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EvolisPrinter } from '../../../../src/drivers/printer/evolis.js';
import { streamLink } from '../../../../src/drivers/printer/streamLink.js';
import { cutFrames } from '../../../helpers/scriptedPrinter.js';

/** A duplex that answers every frame written to it (undefined: never). */
function scriptedDuplex(script: (text: string) => string | undefined): { duplex: Duplex; frames: string[] } {
  const frames: string[] = [];
  let pending: Uint8Array = new Uint8Array(0);
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, callback) {
      const all = Buffer.concat([pending, chunk]);
      const { frames: got, rest } = cutFrames(all);
      pending = rest;
      for (const f of got) {
        frames.push(f.text);
        const reply = script(f.text);
        if (reply !== undefined) setTimeout(() => duplex.push(Buffer.from(reply, 'latin1')), 1);
      }
      callback();
    },
  });
  return { duplex, frames };
}

describe('streamLink (emulator / scripted replies; no real printer)', () => {
  it('a card cycle through EvolisPrinter, unterminated replies ended by a 5 ms quiet gap', async () => {
    const { duplex, frames } = scriptedDuplex((t) => (t === 'Rlr;p' ? 'CONTACTLESS CARD' : t === 'Rfv' ? 'V1' : t === 'Rtp' ? 'Primacy' : 'OK'));
    const printer = new EvolisPrinter(streamLink(duplex, { quietGapMs: 5 }));
    const t0 = performance.now();
    await printer.insertToContactless();
    expect((await printer.status()).position).toBe('contactless');
    await printer.eject();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(frames).toEqual(['Pem;2', 'Sic', 'Rfv', 'Rtp', 'Rsn', 'Rlr;p', 'Rse;o', 'Rse;f', 'Rlr;r', 'Se']);
    await printer.close();
  });

  it('never answering: TIMEOUT naming the command', async () => {
    const { duplex } = scriptedDuplex(() => undefined);
    const printer = new EvolisPrinter(streamLink(duplex), { timeoutMs: 100 });
    await expect(printer.eject()).rejects.toMatchObject({ code: 'TIMEOUT', message: 'TIMEOUT: no reply to Se within 100 ms' });
  });

  it('the stream ending mid-command: IO, and every later command too', async () => {
    const { duplex } = scriptedDuplex(() => undefined);
    const link = streamLink(duplex, { name: 'the emulator' });
    const printer = new EvolisPrinter(link);
    const p = printer.reject();
    setTimeout(() => duplex.destroy(), 10);
    await expect(p).rejects.toMatchObject({ code: 'IO', message: 'IO: the emulator closed' });
    await expect(printer.eject()).rejects.toMatchObject({ code: 'IO' });
  });

  it('wrong-typed arguments: INVALID_ARGUMENT naming streamLink', () => {
    expect(() => streamLink({} as Duplex)).toThrow(/streamLink: stream/);
    expect(() => streamLink(scriptedDuplex(() => 'OK').duplex, { quietGapMs: 0 })).toThrow(/streamLink: opts.quietGapMs/);
  });
});
