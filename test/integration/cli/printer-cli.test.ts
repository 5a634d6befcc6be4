/**
 * `hmskort printer status|eject|reject --printer URL` (issue 16 item 6) through main(), against a
 * scripted Evolis printer on a real TCP socket (test/helpers/scriptedPrinter.ts): the output, and
 * the exit status of each failure (src/cli/exitStatus.ts). No real printer is used.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../../helpers/cli.js';
import { startScriptedPrinter, type ScriptedPrinter } from '../../helpers/scriptedPrinter.js';

let server: ScriptedPrinter | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function printerAnswering(answers: Record<string, string | undefined>): Promise<string> {
  server = await startScriptedPrinter((f) => (Object.prototype.hasOwnProperty.call(answers, f.text) ? answers[f.text] : 'OK\0'));
  return `evolis:tcp://127.0.0.1:${server.port}`;
}
const run = (...argv: string[]) => runMain(process.cwd(), ['printer', ...argv]);

describe('hmskort printer status', () => {
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

  it("a condition in the printer's words: exit 1", async () => {
    const url = await printerAnswering({ ...ready, 'Rlr;p': 'FEEDER EMPTY\0' });
    const r = await run('status', '--printer', url);
    expect(r.status).toBe(1);
    expect(r.out).toContain('condition  FEEDER EMPTY\n');
  });

  it('a printer that never answers: exit 4, naming the command and the time-out', async () => {
    const url = await printerAnswering({ Rfv: undefined });
    const r = await run('status', '--printer', url, '--timeout', '200');
    expect(r).toEqual({ status: 4, out: '', err: 'hmskort printer: TIMEOUT: no reply to Rfv within 200 ms\n' });
  });
});

describe('hmskort printer eject / reject', () => {
  it('eject sends Se, reject sends Ser', async () => {
    const url = await printerAnswering({});
    expect(await run('eject', '--printer', url)).toEqual({ status: 0, out: 'card ejected to the output tray\n', err: '' });
    expect(await run('reject', '--printer', url)).toEqual({ status: 0, out: 'card dropped into the reject box\n', err: '' });
    expect(server!.frames.map((f) => f.text)).toEqual(['Se', 'Ser']);
  });

  it('CARD JAM: exit 4 with the printer\'s words; ERROR CDE: exit 3', async () => {
    const url = await printerAnswering({ Se: 'CARD JAM\0', Ser: 'ERROR CDE\0' });
    expect(await run('eject', '--printer', url)).toMatchObject({ status: 4, err: 'hmskort printer: CARD_JAM: Se: the printer answered "CARD JAM"\n' });
    expect(await run('reject', '--printer', url)).toMatchObject({ status: 3, err: 'hmskort printer: COMMAND_REFUSED: Ser: the printer answered "ERROR CDE"\n' });
  });
});

describe('bad command lines: exit 2', () => {
  it.each([
    [['status'], /--printer/],
    [['status', '--printer', 'evolis:tcp://127.0.0.1'], /the port is required/],
    [['eject', '--printer', 'hp:/dev/usb/lp0'], /unknown printer family/],
    [['reject', '--printer', 'emulator'], /the printer emulator is not in this build/],
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
