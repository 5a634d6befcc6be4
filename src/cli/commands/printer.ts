/**
 * `hmskort printer`: the operator's commands for a card printer (issue 16 item 6).
 *   printer status --printer URL [--timeout MS] [--json]
 *   printer eject  --printer URL [--timeout MS]
 *   printer reject --printer URL [--timeout MS]
 * URL: evolis:/dev/usb/lpN, evolis:tcp://HOST:PORT, or emulator (src/drivers/printer/url.ts).
 * More sub-commands join PRINTER_SUBCOMMANDS (printer replay lives in printerReplay.ts).
 */
import { EXIT, UsageError, type CliContext } from '../command.js';
import { declare, defineGroup, type Declared, type Values } from '../declare.js';
import { openPrinter, type OpenPrinterOptions } from '../../drivers/printer/url.js';
import type { CardPrinter, PrinterStatus } from '../../drivers/printer/types.js';
import { streamLink } from '../../drivers/printer/streamLink.js';
import { EvolisEmulator, emulatorDuplex } from '../../testing/evolisEmulator/index.js';
import { replayCommand } from './printerReplay.js';

/**
 * The printer behind `--printer emulator`: a fresh EvolisEmulator (hmskort/testing) in memory, its
 * bytes going through our own encoder and reply reader like a real printer's; replies have no
 * terminator, so the reader ends a reply on a short quiet gap.
 */
export const CLI_PRINTER_EMULATOR: OpenPrinterOptions['emulator'] = () =>
  streamLink(emulatorDuplex(new EvolisEmulator()), { quietGapMs: 5, name: 'the printer emulator' });

const description = `status  asks the printer for its model, firmware, serial number and where the card is (Rfv, Rtp,
        Rsn, Rlr;p), then the cover and feeder sensors and the cleaning flag (Rse;o, Rse;f,
        Rlr;r); a condition that stops work (COVER OPEN, FEEDER EMPTY, NEED CLEANING) is printed
        in the printer's words and gives exit 1.
eject   sends the card in the printer to the output tray (Se).
reject  drops the card in the printer into the reject box (Ser).
        eject and reject ask where the card is first: with no card inside they send nothing, say
        "no card in the printer" and exit 1.
--printer evolis:/dev/usb/lpN (USB printer class device), evolis:tcp://HOST:PORT (network; the
port is required: Evolis does not publish its default), or emulator: a fresh emulated printer in
memory for this one command, empty and with its cover closed, so status says "card none" and
eject/reject find no card (for a dry run of a batch, see batch --printer emulator).
Tested without a real printer: scripted replies and the emulator only (docs/printers.md).
Exit 2 on a bad URL, 3 when the printer refuses a command, 4 on a printer error or time-out.`;

const TIMEOUT = { help: "one time-out for every command, in ms (default: each command's own, 2 s reads, 40 s card moves)" } as const;
const STATUS = { printer: { required: true }, timeout: TIMEOUT, json: {} } as const;
const MOVE = { printer: { required: true }, timeout: TIMEOUT } as const;

/** Opens `--printer`, runs `work`, closes the printer whatever happened. */
export async function withPrinter<T>(url: string, timeoutMs: number | undefined, ctx: CliContext, work: (p: CardPrinter) => Promise<T>): Promise<T> {
  const printer = await openPrinter(url, { emulator: CLI_PRINTER_EMULATOR, timeoutMs, signal: ctx.signal });
  try {
    return await work(printer);
  } finally {
    await printer.close();
  }
}

function formatStatus(s: PrinterStatus): string {
  const rows: [string, string | undefined][] = [
    ['model', s.model],
    ['firmware', s.firmware],
    ['serial', s.serial],
    ['card', s.position],
    ['condition', s.condition],
  ];
  return rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k.padEnd(10)} ${v}\n`)
    .join('');
}

async function status(values: Values<typeof STATUS>, _p: string[], ctx: CliContext): Promise<number> {
  const s = await withPrinter(values.printer, values.timeout, ctx, (p) => p.status(ctx.signal));
  ctx.stdout(values.json ? JSON.stringify(s) + '\n' : formatStatus(s));
  return s.condition === undefined ? EXIT.OK : EXIT.FAILED;
}

/**
 * Se/Ser with no card inside answer OK (the emulator and the 2003 guide agree: they end a sequence,
 * S1 p.42), which would print success for nothing done: ask Rlr;p first and say so, exit 1.
 */
function move(which: 'eject' | 'reject', done: string) {
  return async (values: Values<typeof MOVE>, _p: string[], ctx: CliContext): Promise<number> => {
    const moved = await withPrinter(values.printer, values.timeout, ctx, async (p) => {
      const s = await p.status(ctx.signal);
      if (s.position === 'none') return s;
      await p[which](ctx.signal);
      return undefined;
    });
    if (moved !== undefined) {
      ctx.stdout(`no card in the printer: nothing to ${which}${moved.condition ? ` (condition: ${moved.condition})` : ''}\n`);
      return EXIT.FAILED;
    }
    ctx.stdout(`${done}\n`);
    return EXIT.OK;
  };
}

/** The sub-commands of `hmskort printer`; a new one is one more entry. */
export const PRINTER_SUBCOMMANDS: Record<string, Declared> = {
  status: declare({ options: STATUS, run: status }),
  eject: declare({ options: MOVE, run: move('eject', 'card ejected to the output tray') }),
  reject: declare({ options: MOVE, run: move('reject', 'card dropped into the reject box') }),
  replay: replayCommand,
};

export const command = defineGroup({
  name: 'printer',
  summary: 'a card printer: status, eject, reject, replay a command stream (Evolis Primacy/Zenius)',
  description,
  subcommands: PRINTER_SUBCOMMANDS,
});
