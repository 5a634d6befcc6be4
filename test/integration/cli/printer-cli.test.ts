/**
 * `hmskort printer status|eject|reject --printer URL` (issue 16 item 6) through main(), against a
 * scripted Evolis printer and the printer emulator, both on a real TCP socket
 * (test/helpers/scriptedPrinter.ts, serveEvolisEmulator): the output, and the exit status of each
 * failure (src/cli/exitStatus.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/cli.js';
import { startScriptedPrinter } from '../../helpers/scriptedPrinter.js';
import { EvolisEmulator, PRINTER_ERRORS, serveEvolisEmulator } from '../../../src/testing/evolisEmulator/index.js';

let server: { close(): Promise<void> } | undefined;
let scripted: Awaited<ReturnType<typeof startScriptedPrinter>> | undefined;
afterEach(async () => {
  await server?.close();
  server = scripted = undefined;
});

/** The emulator, set up by `prepare`, served over TCP: its URL. */
async function emulatorAt(prepare: (em: EvolisEmulator) => void = () => undefined): Promise<string> {
  const em = new EvolisEmulator();
  prepare(em);
  const s = await serveEvolisEmulator(em);
  server = s;
  return `evolis:tcp://127.0.0.1:${s.port}`;
}

async function printerAnswering(answers: Record<string, string | undefined>): Promise<string> {
  server = scripted = await startScriptedPrinter((f) => (Object.prototype.hasOwnProperty.call(answers, f.text) ? answers[f.text] : 'OK\0'));
  return `evolis:tcp://127.0.0.1:${scripted.port}`;
}
const run = (...argv: string[]) => runMain(process.cwd(), ['printer', ...argv]);

describe('hmskort printer status (emulator / scripted replies; no real printer)', () => {
  const ready = { Rfv: 'V1.0.5\0', Rtp: 'Primacy\0', Rsn: 'A123\0', 'Rlr;p': 'OK\0' };

  it('prints model, firmware, serial and card position: exit 0', async () => {
    const url = await printerAnswering(ready);
    const r = await run('status', '--printer', url);
    expect(r).toEqual({ status: 0, out: 'model      Primacy\nfirmware   V1.0.5\nserial     A123\ncard       none\n', err: '' });
  });

  it('--json', async () => {
    const url = await printerAnswering(ready);
    const r = await run('status', '--json', '--printer', url);
    expect(JSON.parse(r.out)).toEqual({ model: 'Primacy', firmware: 'V1.0.5', serial: 'A123', position: 'none' });
  });

  // The emulator answers Rse;o / Rse;f with 0,00 Volts when open / empty and Rlr;r with ERR NEED
  // CLEANING (S1 p.34, p.37; S7 l.1191, S8 l.1953): the words come from our reading of those.
  it.each([
    ['the cover open', (em: EvolisEmulator) => void (em.condition = PRINTER_ERRORS.coverOpen), 'COVER OPEN'],
    ['the feeder empty', (em: EvolisEmulator) => void (em.feeder = 0), 'FEEDER EMPTY'],
    ['cleaning due', (em: EvolisEmulator) => void (em.condition = PRINTER_ERRORS.needCleaning), 'NEED CLEANING'],
  ])("the emulator with %s: exit 1, the condition in the printer's words", async (_what, prepare, words) => {
    const url = await emulatorAt(prepare);
    const r = await run('status', '--printer', url);
    expect(r).toMatchObject({ status: 1, err: '' });
    expect(r.out).toContain(`card       none\ncondition  ${words}\n`);
  });

  it('the emulator ready (cards in the feeder, cover closed): exit 0, no condition', async () => {
    const url = await emulatorAt();
    const r = await run('status', '--json', '--printer', url);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.out)).not.toHaveProperty('condition');
  });

  it('a printer that never answers: exit 4, naming the command and the time-out', async () => {
    const url = await printerAnswering({ Rfv: undefined });
    const r = await run('status', '--printer', url, '--timeout', '200');
    expect(r).toEqual({ status: 4, out: '', err: 'hmskort printer: TIMEOUT: no reply to Rfv within 200 ms\n' });
  });
});

describe('hmskort printer eject / reject (emulator / scripted replies; no real printer)', () => {
  const status = ['Rfv', 'Rtp', 'Rsn', 'Rlr;p', 'Rse;o', 'Rse;f', 'Rlr;r'];
  it('with a card inside: eject sends Se, reject sends Ser, each after the status reads', async () => {
    const url = await printerAnswering({ 'Rlr;p': 'CARD\0' });
    expect(await run('eject', '--printer', url)).toEqual({ status: 0, out: 'card ejected to the output tray\n', err: '' });
    expect(await run('reject', '--printer', url)).toEqual({ status: 0, out: 'card dropped into the reject box\n', err: '' });
    expect(scripted!.frames.map((f) => f.text)).toEqual([...status, 'Se', ...status, 'Ser']);
  });

  it('an empty printer (the emulator): "no card in the printer", exit 1, no Se/Ser sent', async () => {
    const url = await emulatorAt();
    expect(await run('eject', '--printer', url)).toEqual({ status: 1, out: 'no card in the printer: nothing to eject\n', err: '' });
    expect(await run('reject', '--printer', url)).toEqual({ status: 1, out: 'no card in the printer: nothing to reject\n', err: '' });
  });

  it('the emulator with a card at the contactless station: eject puts it in the output tray', async () => {
    let em: EvolisEmulator | undefined;
    const url = await emulatorAt((e) => void (em = e));
    await em!.write(new TextEncoder().encode('\x1bSic\r'));
    expect(await run('eject', '--printer', url)).toEqual({ status: 0, out: 'card ejected to the output tray\n', err: '' });
    expect(em!.cards.map((c) => c.fate)).toEqual(['output']);
  });

  it('CARD JAM: exit 4 with the printer\'s words; ERROR CDE: exit 3', async () => {
    const url = await printerAnswering({ 'Rlr;p': 'CARD\0', Se: 'CARD JAM\0', Ser: 'ERROR CDE\0' });
    expect(await run('eject', '--printer', url)).toMatchObject({ status: 4, err: 'hmskort printer: CARD_JAM: Se: the printer answered "CARD JAM"\n' });
    expect(await run('reject', '--printer', url)).toMatchObject({ status: 3, err: 'hmskort printer: COMMAND_REFUSED: Ser: the printer answered "ERROR CDE"\n' });
  });
});

describe('--printer emulator (the in-memory EvolisEmulator behind our own driver) (emulator / scripted replies; no real printer)', () => {
  it('status answers with no card inside; eject finds no card (a fresh empty emulator, as the help says)', async () => {
    const r = await run('status', '--printer', 'emulator', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ position: 'none' });
    expect(await run('eject', '--printer', 'emulator')).toMatchObject({ status: 1, out: 'no card in the printer: nothing to eject\n' });
    expect((await runMain(process.cwd(), ['printer', '--help'])).out).toMatch(/emulator: a fresh emulated printer/);
  });

  it('printer --help lists each option once', async () => {
    const help = (await runMain(process.cwd(), ['printer', '--help'])).out;
    expect(help.match(/^ {2}--json/gm)).toHaveLength(1);
  });
});

describe('bad command lines: exit 2 (emulator / scripted replies; no real printer)', () => {
  it.each([
    [['status'], /--printer/],
    [['status', '--printer', 'evolis:tcp://127.0.0.1'], /the port is required/],
    [['eject', '--printer', 'hp:/dev/usb/lp0'], /unknown printer family/],
    [['status', '--printer', 'evolis:/dev/usb/lp0', '--timeout', '0'], /--timeout: expected a whole number >= 1/],
  ])('%j', async (argv, message) => {
    const r = await run(...argv);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a device that is not there: exit 4', async () => {
    const r = await run('status', '--printer', 'evolis:/nonexistent/lp0');
    expect(r.status).toBe(4);
    expect(r.err).toMatch(/\/nonexistent\/lp0: cannot use the printer device/);
  });
});
