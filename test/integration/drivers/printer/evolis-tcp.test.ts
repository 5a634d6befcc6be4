/**
 * EvolisPrinter over a real TCP socket against a scripted printer: the bytes each CardPrinter
 * method sends (the commands of research/evolis.md §2-4), the replies it accepts, the typed errors
 * with the printer's own words, and the queue (one command at a time). No real printer is used.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, EvolisPrinter } from '../../../../src/drivers/printer/evolis.js';
import { decompressPanel } from '../../../../src/drivers/printer/panelCompression.js';
import { openTcpLink } from '../../../../src/drivers/printer/tcpLink.js';
import { openPrinter } from '../../../../src/drivers/printer/url.js';
import { PANEL_LINE_BYTES, PANEL_LINES, type CardPrinter } from '../../../../src/drivers/printer/types.js';
import { startScriptedPrinter, type Script, type ScriptedPrinter } from '../../../helpers/scriptedPrinter.js';

let server: ScriptedPrinter | undefined;
let printer: CardPrinter | undefined;
afterEach(async () => {
  await printer?.close();
  await server?.close();
  printer = server = undefined;
});

/** A printer that answers OK to everything but what `answers` names (by the frame's text). */
async function setup(answers: Record<string, string | undefined> = {}, opts: ConstructorParameters<typeof EvolisPrinter>[1] = {}) {
  const script: Script = (f) => (Object.prototype.hasOwnProperty.call(answers, f.text) ? answers[f.text] : 'OK');
  server = await startScriptedPrinter(script);
  printer = new EvolisPrinter(await openTcpLink('127.0.0.1', server.port), opts);
  return { server, printer };
}
const sent = () => server!.frames.map((f) => f.text);

describe('the card cycle, command by command (emulator / scripted replies; no real printer)', () => {
  it('status: Rfv, Rtp, Rsn, Rlr;p, then the cover and feeder sensors and the cleaning flag', async () => {
    const { printer } = await setup({ Rfv: 'V1.0.5', Rtp: 'Primacy', Rsn: 'A1234567', 'Rlr;p': 'CONTACTLESS CARD' });
    expect(await printer.status()).toEqual({ firmware: 'V1.0.5', model: 'Primacy', serial: 'A1234567', position: 'contactless' });
    expect(sent()).toEqual(['Rfv', 'Rtp', 'Rsn', 'Rlr;p', 'Rse;o', 'Rse;f', 'Rlr;r']);
  });

  it.each([
    ['OK', 'none'], // S6: no card
    ['NO CARD', 'none'], // S1 p.34
    ['CARD', 'print'], // S6
    ['ERR CARD', 'print'], // S1 p.34
    ['SMART CARD', 'contact'], // S8
  ])('Rlr;p %j: position %s', async (reply, position) => {
    const { printer } = await setup({ Rfv: 'V1', Rtp: 'Zenius', 'Rlr;p': reply });
    expect((await printer.status()).position).toBe(position);
  });

  // Readings as S7 l.1191-1192 / S8 l.1953-1956 log them (comma decimals); Rlr;r as S1 p.34.
  it.each([
    [{ 'Rse;o': '0,00 Volts', 'Rse;f': '5,00 Volts' }, 'COVER OPEN'],
    [{ 'Rse;o': '5,00 Volts', 'Rse;f': '0,00 Volts' }, 'FEEDER EMPTY'],
    [{ 'Rse;o': '4,98 Volts', 'Rse;f': '4,87 Volts', 'Rlr;r': 'ERR NEED CLEANING' }, 'NEED CLEANING'],
    [{ 'Rse;o': '0,02 Volts', 'Rse;f': '0,00 Volts' }, 'COVER OPEN, FEEDER EMPTY'],
  ])('status with sensors %j: condition %s, no error', async (sensors, condition) => {
    const { printer } = await setup({ Rfv: 'V1', Rtp: 'Primacy', Rsn: 'ERROR CDE', 'Rlr;p': 'OK', ...sensors });
    expect(await printer.status()).toEqual({ firmware: 'V1', model: 'Primacy', position: 'none', condition });
  });

  it('sensors at 5 V, Rlr;r OK: no condition; a printer refusing Rse (ERROR CDE) is no condition either', async () => {
    const { printer } = await setup({ Rfv: 'V1', Rtp: 'Primacy', 'Rlr;p': 'OK', 'Rse;o': '5,00 Volts', 'Rse;f': 'ERROR CDE', 'Rlr;r': 'OK' });
    expect(await printer.status()).not.toHaveProperty('condition');
  });

  it('insertToContactless: Pem;2 then Sic (S1 p.20, p.43)', async () => {
    const { printer } = await setup();
    await printer.insertToContactless();
    expect(sent()).toEqual(['Pem;2', 'Sic']);
  });

  it('writeStripe and readStripe: Pmc, Pmt, Dm without sentinels, Smw; Smr;2 returns the reply', async () => {
    const { printer } = await setup({ 'Smr;2': '974760673=1234567890128' });
    await printer.writeStripe({ track1: 'HB974760673^OSTBY/KARI^1234', track2: '974760673=1234567890128' });
    expect(await printer.readStripe(2)).toBe('974760673=1234567890128');
    expect(sent()).toEqual(['Pmc;h', 'Pmt;1;1', 'Pmt;2;2', 'Dm;1;HB974760673^OSTBY/KARI^1234', 'Dm;2;974760673=1234567890128', 'Smw', 'Smr;2']);
  });

  it('printAndEject: Pr;k Ss Sr Dbc Sv Dbc Se, and the panels arrive as sent', async () => {
    const { printer, server } = await setup();
    const front = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES);
    for (let i = 0; i < front.length; i += 97) front[i] = (i * 31) & 0xff; // CR and ESC bytes among them
    const back = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES).fill(0xff);
    await printer.printAndEject({ data: front }, { data: back });
    const [d1, d2] = server.frames.filter((f) => f.text.startsWith('Dbc'));
    expect(sent()).toEqual(['Pr;k', 'Ss', 'Sr', d1.text, 'Sv', d2.text, 'Se']);
    expect(d1.text).toBe(`Dbc;k;2;${d1.payload!.length}`);
    expect(Buffer.from(decompressPanel(d1.payload!)).equals(Buffer.from(front))).toBe(true);
    expect(Buffer.from(decompressPanel(d2.payload!)).equals(Buffer.from(back))).toBe(true);
  });

  it('eject is Se, reject is Ser (S1 p.42)', async () => {
    const { printer } = await setup();
    await printer.eject();
    await printer.reject();
    expect(sent()).toEqual(['Se', 'Ser']);
  });
});

describe('errors carry the printer\'s words and stop the sequence (emulator / scripted replies; no real printer)', () => {
  it.each([
    ['Sic', 'FEEDER EMPTY', 'FEEDER_EMPTY'],
    ['Sic', 'CARD JAM', 'CARD_JAM'],
    ['Pem;2', 'COVER OPEN', 'COVER_OPEN'],
  ])('%s answered %j: %s, nothing sent after it', async (cmd, reply, code) => {
    const { printer } = await setup({ [cmd]: reply });
    const err = await printer.insertToContactless().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PrinterError', code, kind: 'device', reply, command: cmd });
    expect(sent().at(-1)).toBe(cmd);
  });

  it('Smw answered ERROR MAG: MAG_ERROR; a print answered ERROR RIBBON at Se: RIBBON_ERROR', async () => {
    const { printer } = await setup({ Smw: 'ERROR MAG', Se: 'ERROR RIBBON' });
    await expect(printer.writeStripe({ track2: '123' })).rejects.toMatchObject({ code: 'MAG_ERROR', reply: 'ERROR MAG' });
    await expect(printer.printAndEject({ data: new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES) })).rejects.toMatchObject({ code: 'RIBBON_ERROR', command: 'Se' });
  });

  it('a value where OK was expected: UNEXPECTED_REPLY', async () => {
    const { printer } = await setup({ Se: 'CARD' });
    await expect(printer.eject()).rejects.toMatchObject({ code: 'UNEXPECTED_REPLY', reply: 'CARD' });
  });

  it('never answering Sic: TIMEOUT naming Sic, after its own time-out; the next command still runs', async () => {
    const { printer } = await setup({ Sic: undefined }, { timeouts: { movement: 300 } });
    await expect(printer.insertToContactless()).rejects.toMatchObject({ code: 'TIMEOUT', command: 'Sic', message: 'TIMEOUT: no reply to Sic within 300 ms' });
    await printer.reject();
    expect(sent()).toEqual(['Pem;2', 'Sic', 'Ser']);
  });
});

describe('status edge cases and time-outs (emulator / scripted replies; no real printer)', () => {
  it('an Rlr;p reply that is no position: UNEXPECTED_REPLY with the words', async () => {
    const { printer } = await setup({ Rfv: 'V1', Rtp: 'Primacy', 'Rlr;p': 'SOMEWHERE' });
    await expect(printer.status()).rejects.toMatchObject({ code: 'UNEXPECTED_REPLY', reply: 'SOMEWHERE', command: 'Rlr;p' });
  });

  it('Rfv refused: COMMAND_REFUSED (data), not a condition', async () => {
    const { printer } = await setup({ Rfv: 'ERROR CDE' });
    await expect(printer.status()).rejects.toMatchObject({ code: 'COMMAND_REFUSED', kind: 'data', reply: 'ERROR CDE' });
  });

  it('the default time-outs are the samples\' and the SDK\'s: 2 s, 40 s (Sic), 45 s (mag), 5 min (print job)', () => {
    // S9 CPrinter.vb (2 s parameters, 45 s mag), S16 (40 s Sic), S3 evolis.h (5 min print job)
    expect(DEFAULT_TIMEOUTS).toEqual({ parameter: 2000, movement: 40000, mag: 45000, print: 300000 });
  });

  it('timeoutMs replaces every class: Sic times out after it', async () => {
    const { printer } = await setup({ Sic: undefined }, { timeoutMs: 200 });
    await expect(printer.insertToContactless()).rejects.toMatchObject({ code: 'TIMEOUT', message: 'TIMEOUT: no reply to Sic within 200 ms' });
  });

  it('an aborted signal: nothing is sent, the reason is thrown', async () => {
    const { printer } = await setup();
    await expect(printer.eject(AbortSignal.abort(new Error('stop')))).rejects.toThrow('stop');
    await printer.reject();
    expect(sent()).toEqual(['Ser']);
  });
});

describe('one command at a time (emulator / scripted replies; no real printer)', () => {
  it('calls made together are sent one after another, each after the previous reply', async () => {
    const order: string[] = [];
    const script: Script = (f) => {
      order.push(`got ${f.text}`);
      setTimeout(() => {
        order.push(`answer ${f.text}`);
        server!.socket()!.write('OK\0');
      }, 40);
      return undefined;
    };
    server = await startScriptedPrinter(script);
    printer = await openPrinter(`evolis:tcp://127.0.0.1:${server.port}`);
    await Promise.all([printer.eject(), printer.reject(), printer.eject()]);
    expect(order).toEqual(['got Se', 'answer Se', 'got Ser', 'answer Ser', 'got Se', 'answer Se']);
  });
});
