/**
 * `hmskort batch ORDERS.csv --printer URL ...` (issue 16 part 5): the batch through a card printer
 * with a contactless encoder and a stripe head. Opens the printer (evolis:/dev/usb/lpN,
 * evolis:tcp://HOST:PORT, or `emulator`: the Evolis emulator of hmskort/testing in this process,
 * a dry run whose contactless station is a virtual reader) and the PC/SC reader inside it, then
 * runs src/batch/printerRun.ts with a progress bar of good and rejected cards.
 */
import { randomInt } from 'node:crypto';
import cliProgress from 'cli-progress';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { openReader } from '../readerSelect.js';
import type { Order } from '../../batch/orders.js';
import type { Journal } from '../../batch/journal.js';
import type { BatchKeys } from '../../batch/chip.js';
import { BatchStoppedError } from '../../batch/run.js';
import { runPrinterBatch, type PrinterBatchEvent } from '../../batch/printerRun.js';
import { openPrinter } from '../../drivers/printer/url.js';
import { PrinterError } from '../../drivers/printer/errors.js';
import type { PrinterLink } from '../../drivers/printer/link.js';
import type { CardPrinter } from '../../drivers/printer/types.js';
import type { CardReader } from '../../transport/card.js';
import { orderFaces } from './batchFaces.js';
import { writeEmulatorOut } from './batchEmulatorOut.js';
import { makeOutputDir } from '../files.js';

export interface PrinterBatchArgs {
  printer: string;
  reader: string;
  readerName?: string;
  profile?: string;
  json?: boolean;
  journalName: string;
  orders: Order[];
  invalid: number;
  journal: Journal;
  keys: BatchKeys;
  say: (line: string, data?: object) => void;
  ctx: CliContext;
  /** --coercivity: the blanks' stripe. */
  coercivity?: 'high' | 'low';
  /** --emulator-out DIR (with --printer emulator): panels, tracks.json and stream.prn written there. */
  emulatorOut?: string;
}

/**
 * The Evolis emulator of hmskort/testing in this process, behind the real driver: each frame the
 * driver writes goes through the emulator's parser, its one reply comes back. Its contactless
 * station is a virtual reader. Also the bench's card cycle (bench/cases/printer.ts).
 */
export async function openEmulatedPrinter(): Promise<{ printer: CardPrinter; reader: CardReader; emulator: import('../../testing/evolisEmulator/index.js').EvolisEmulator; stream: Uint8Array[] }> {
  const { EvolisEmulator, contactlessField } = await import('../../testing/evolisEmulator/index.js');
  const { VirtualCardReader } = await import('../../testing/virtualReader.js');
  const reader = new VirtualCardReader('hmskort emulated Evolis contactless station');
  // UIDs from a random base: a dry run resumed after a kill gets a new emulator, whose blanks must
  // not repeat the UIDs the journal already holds. First byte 0xe0-0xef: no random-ID (0x08) or
  // cascade-tag (0x88) UID (ISO/IEC 14443-3).
  const base = randomInt(0xe0000000, 0xeff00000);
  const emulator = new EvolisEmulator({ field: contactlessField(reader), uid: (n) => (base + n).toString(16) });
  const stream: Uint8Array[] = [];
  const link: PrinterLink = {
    async exchange(frame, opts) {
      stream.push(frame.slice());
      const replies = await emulator.write(frame);
      if (replies.length !== 1) throw new PrinterError('IO', `${opts.what}: the emulator answered ${replies.length} replies to one frame`, { command: opts.what });
      return replies[0];
    },
    close: async () => undefined,
  };
  return { printer: await openPrinter('emulator', { emulator: () => link }), reader, emulator, stream };
}

/**
 * The combinations of --printer, --reader, --reader-name, --stripe and --print-dir that make sense;
 * checked before the orders are read or the journal is opened (UsageError: exit 2).
 */
type PrinterArgs = { printer?: string; reader: string; 'reader-name'?: string; stripe?: string; 'print-dir'?: string; 'virtual-dir'?: string; 'virtual-delay-ms'?: number; 'swipe-timeout'?: number; 'emulator-out'?: string };

/** Options a --printer batch would silently ignore: refused, so a typo'd plan is seen before a card moves. */
const NOT_WITH_PRINTER = ['stripe', 'print-dir', 'virtual-dir', 'virtual-delay-ms', 'swipe-timeout'] as const;

export function checkPrinterArgs(v: PrinterArgs): void {
  if (v['emulator-out'] !== undefined && v.printer !== 'emulator') throw new UsageError('--emulator-out goes with --printer emulator');
  if (v.printer === undefined) {
    if (v['reader-name'] !== undefined) throw new UsageError('--reader-name is for --printer batches; without a printer give --reader pcsc:NAME');
    return;
  }
  const ignored = NOT_WITH_PRINTER.filter((o) => v[o] !== undefined);
  if (ignored.length > 0) throw new UsageError(`${ignored.map((o) => `--${o}`).join(', ')}: not for --printer batches (the printer writes the stripe and prints the card; --printer emulator has its own virtual cards)`);
  if (v.printer === 'emulator') {
    if (v.reader !== 'virtual' || v['reader-name'] !== undefined) throw new UsageError('--printer emulator encodes through its own virtual reader: give --reader virtual (and no --reader-name)');
    return;
  }
  if (v.reader === 'virtual') throw new UsageError('a printer encodes through the PC/SC reader inside it: --reader pcsc --reader-name PATTERN');
  if (v['reader-name'] !== undefined && v.reader !== 'pcsc') throw new UsageError('--reader-name goes with --reader pcsc (not pcsc:NAME)');
  // The reader inside the printer, never "the first PC/SC reader": a desk reader would be encoded instead.
  if (v.reader === 'pcsc' && v['reader-name'] === undefined) throw new UsageError('with a printer, --reader pcsc needs --reader-name PATTERN: the PC/SC reader inside the printer');
}

async function openDevices(a: PrinterBatchArgs): Promise<{ printer: CardPrinter; reader: CardReader; emulated?: Awaited<ReturnType<typeof openEmulatedPrinter>> }> {
  const { ctx } = a;
  if (a.printer === 'emulator') {
    const emulated = await openEmulatedPrinter();
    return { ...emulated, emulated };
  }
  const spec = a.readerName !== undefined ? `pcsc:${a.readerName}` : a.reader;
  const printer = await openPrinter(a.printer, { signal: ctx.signal });
  try {
    // Exclusive: no other PC/SC program may slip APDUs in between the steps of an encode (issue 13).
    return { printer, reader: await openReader(spec, { signal: ctx.signal, env: ctx.env, profile: a.profile, exclusive: true }) };
  } catch (e) {
    await printer.close();
    throw e;
  }
}

export async function runPrinterBatchCommand(a: PrinterBatchArgs): Promise<number> {
  const { ctx, say, orders, journal } = a;
  const outDir = a.emulatorOut !== undefined ? await makeOutputDir(a.emulatorOut, '--emulator-out', ctx.cwd) : undefined;
  const { printer, reader, emulated } = await openDevices(a);
  const done0 = journal.state.done.size;
  let good = done0;
  let rejected = journal.state.entries.filter((e) => e.t === 'reject').length;
  if (done0 > 0) say(`resuming: ${done0} of ${orders.length} orders already done, ${rejected} card(s) rejected so far`);
  const progress = ctx.isTTY && !a.json ? new cliProgress.SingleBar({ format: '{bar} {value}/{total} good | {rejected} rejected | {rate}/min | ETA {eta_formatted} | {status}', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  const started = Date.now();
  progress?.start(orders.length, done0, { status: 'starting', rate: '0', rejected });
  const onEvent = (e: PrinterBatchEvent) => {
    const tag = e.order ? `order ${e.order.id} (line ${e.order.line})` : 'printer';
    if (e.type === 'good') {
      good++;
      const rate = ((good - done0) / Math.max((Date.now() - started) / 60_000, 1e-9)).toFixed(1);
      if (progress) progress.update(good, { status: `${e.order.id} on ${e.uid}`, rate, rejected });
      else say(`${tag}: card ${e.uid} ${e.recovered ? 'was ejected while the batch was down: done' : `good (chip in ${e.ms} ms, ${e.operations} card commands; stripe verified; printed, ejected)`} [${good}/${orders.length} good, ${rejected} rejected]`, { event: 'good', order: e.order.id, uid: e.uid, ms: e.ms, recovered: e.recovered });
    } else if (e.type === 'rejected') {
      rejected++;
      const text = `card ${e.uid ?? '(no chip read)'} rejected at ${e.step}: ${e.reason}`;
      if (progress) progress.update(good, { status: text, rejected });
      else say(`${tag}: ${text} [${good}/${orders.length} good, ${rejected} rejected]`, { event: 'rejected', order: e.order?.id, uid: e.uid, step: e.step, reason: e.reason });
    } else if (e.type === 'inserting') progress?.update(good, { status: `${e.order.id}: inserting a blank`, rejected });
  };
  try {
    const sum = await runPrinterBatch({ orders, printer, reader, keys: a.keys, journal, faces: orderFaces, onEvent, signal: ctx.signal, coercivity: a.coercivity });
    progress?.stop();
    say(`batch done: ${orders.length} orders, ${sum.good} good now, ${sum.alreadyDone} done before, ${sum.rejected} card(s) rejected now, ${a.invalid} invalid skipped; journal ${a.journalName}`, { event: 'summary', ...sum, invalid: a.invalid });
    return EXIT.OK;
  } catch (e) {
    progress?.stop();
    const stop = ctx.signal.aborted ? new BatchStoppedError('interrupted', { cause: e }) : e;
    if (stop instanceof BatchStoppedError) say(`batch stopped: ${stop.message} — run the same command again to resume`, { event: 'stopped' });
    throw stop;
  } finally {
    await reader.close();
    await printer.close();
    if (outDir !== undefined && emulated !== undefined) {
      const w = await writeEmulatorOut(outDir, emulated.emulator, emulated.stream);
      say(`emulator: ${w.cards} card(s), ${w.panels} panel(s), tracks.json and stream.prn -> ${a.emulatorOut}`, { event: 'emulator-out', ...w, dir: a.emulatorOut });
    }
  }
}
