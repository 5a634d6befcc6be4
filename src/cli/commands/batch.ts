/**
 * `hmskort batch ORDERS.csv --keys KEYS.json --reader pcsc[:NAME]|virtual --journal FILE
 *  [--stripe PORT] [--print-dir DIR] [--printer URL [--reader-name PATTERN]] [--skip-invalid]
 *  [--truncate] [--json]`:
 * the production line. Validates every order first, then encodes one blank card per order,
 * verifies it, optionally writes the stripe and renders the print files, and journals each card
 * with fsync before the next. Killed and run again, it resumes; no order is encoded twice.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { defineCommand } from '../declare.js';
import { encodeCounts, loadKeys } from '../cardIo.js';
import { openReader } from '../readerSelect.js';
import type { Order, OrderProblem } from '../../batch/orders.js';
import { BatchRefusedError, openBatchJournal, readBatchOrders, type BatchNotice, type BatchOrders, type OpenedBatch } from '../../batch/open.js';
import { quote } from '../../batch/journalFormat.js';
import { BatchStoppedError, runBatch, type BatchEvent } from '../../batch/run.js';
import { VirtualCardStack } from '../../testing/cardStack.js';
import type { CardReader } from '../../transport/card.js';
import { checkOutputs, produceExtras, type Outputs } from './batchOutputs.js';
import { checkPrinterArgs, runPrinterBatchCommand } from './batchPrinter.js';

export const command = defineCommand(
  { name: 'batch', summary: 'encode a production batch from a CSV of orders, crash-safe with a journal' },
  {
    positionals: 'ORDERS.csv',
    description: `ORDERS.csv has a header with the holder fields: category, cardNumber, orgNumber, orgName,
givenName, familyName, birthDate, gender, expiry, optional issue and orderId. --keys, --reader and
--journal are required.

Every order is validated first; any bad row (reported with its line) stops the batch before a card
is touched, unless --skip-invalid. Then, per order: wait for a blank card, encode and verify it,
write the stripe (--stripe PORT, an MSR206/605 encoder), render barcode PNG and card-back SVG
(--print-dir), append the result to the journal with fsync. Run again after a crash or kill: it
resumes at the next order; an order interrupted on a card is finished on that same card.

With --printer (an Evolis: evolis:/dev/usb/lpN or evolis:tcp://HOST:PORT; or emulator, with
--reader virtual, for a dry run) the printer carries each blank: to its contactless station where
the PC/SC reader inside it (--reader pcsc --reader-name PATTERN) encodes and verifies the chip, then
through its stripe head (written and read back), then prints front and back and ejects it. A card
that fails any step goes to the reject box, its UID and the reason in the journal, and the order
goes to the next blank. A card left in the printer by a kill is rejected when the batch resumes.
--printer emulator --emulator-out DIR writes each card's panels as PNG, tracks.json and stream.prn
(replay it with printer replay). orders.csv may name a photo per order (a photo column, paths
relative to the CSV), checked with the other fields before any card is touched.

One batch at a time per journal: FILE.lock names the process holding it (pid, host, since when); a
lock left by a killed process on this host is taken over, one from another host is never broken.
Exit status: 0 all orders done; 1 stopped on a card; 3 invalid orders, another batch's journal or a
damaged journal line (named with its line number); 4 journal in use, journal not writable (disk
full: free space and run again to resume), or an output (--print-dir, --stripe) that cannot be used.`,
    options: {
      keys: { required: true },
      reader: { required: true, value: 'pcsc[:NAME]|virtual', help: 'pcsc[:NAME] (a PC/SC reader; NAME picks one by substring) or virtual (a stack of\nblank virtual cards kept in --virtual-dir)' },
      profile: { help: 'PC/SC reader profile: acs, identiv, omnikey, generic or a probe file;\na PC/SC card is held exclusively while it is encoded' },
      journal: { required: true },
      stripe: {},
      'print-dir': {},
      'skip-invalid': {},
      truncate: {},
      'virtual-dir': {},
      'virtual-delay-ms': {},
      'swipe-timeout': {},
      printer: {},
      'reader-name': {},
      'emulator-out': {},
      coercivity: {},
      json: {},
    },
    async run(values, positionals, ctx) {
      if (positionals.length !== 1) throw new UsageError('give exactly one ORDERS.csv');
      checkPrinterArgs(values);
      const say = (line: string, data?: object) => (values.json ? ctx.stdout(JSON.stringify({ ...data, message: line }) + '\n') : ctx.stdout(line + '\n'));

      const ordersPath = resolve(ctx.cwd, positionals[0]);
      const ordersText = await readFile(ordersPath, 'utf8');
      let batch: BatchOrders;
      try {
        batch = readBatchOrders(ordersText, { truncate: values.truncate, skipInvalid: values['skip-invalid'], photoDir: dirname(ordersPath) });
      } catch (e) {
        if (!(e instanceof BatchRefusedError)) throw e;
        sayProblems(say, e.details.problems ?? []);
        say(`${e.details.problems?.length ?? 0} invalid order(s); nothing encoded. Fix them or pass --skip-invalid.`, { event: 'stopped' });
        throw e; // kind 'data': exit 3, mapped by main.ts (src/cli/exitStatus.ts)
      }
      const { orders, problems } = batch;
      sayProblems(say, problems);
      const keys = await loadKeys(values.keys, ctx);
      const writeMaster = keys.requireWriteMaster();

      const journalPath = resolve(ctx.cwd, values.journal);
      const onNotice = (n: BatchNotice) => {
        if (n.kind === 'lock') say(`journal: took over the lock of process ${n.takeover.holder.pid} (since ${n.takeover.holder.since}): ${n.takeover.reason}`, { event: 'lock' });
        else if (n.repair.kind === 'cut') say(`journal ${values.journal}: cut an unfinished last line (${n.repair.bytes} bytes, ${quote(n.repair.text)}) left by an interrupted write; it was never acknowledged`, { event: 'repaired' });
        else say(`journal ${values.journal}: the last line lacked its newline but is a whole record; kept it and added the newline`, { event: 'repaired' });
      };
      // A JournalError carries its kind (damaged: exit 3; locked, lost, not writable: 4): main.ts maps it.
      let opened: OpenedBatch;
      try {
        opened = openBatchJournal(batch, journalPath, { onNotice });
      } catch (e) {
        if (!(e instanceof BatchRefusedError)) throw e;
        say(`journal ${values.journal} belongs to another order file (sha256 ${e.details.journalSha256?.slice(0, 12)}…); use a new journal`, { event: 'stopped' });
        throw e; // kind 'data': exit 3
      }
      const { journal } = opened;
      try {
        if (values.printer !== undefined) {
          const batchKeys = { readMaster: keys.readMaster, writeMaster, signingKey: keys.signingKey, keyId: keys.keyId, publicKeys: keys.publicKeys };
          return await runPrinterBatchCommand({ printer: values.printer, reader: values.reader, readerName: values['reader-name'], profile: values.profile, json: values.json, journalName: values.journal, orders, invalid: problems.length, journal, keys: batchKeys, say, ctx, coercivity: values.coercivity === 'low' ? 'low' : 'high', emulatorOut: values['emulator-out'] });
        }
        const outputs: Outputs = { printDir: values['print-dir'] ? resolve(ctx.cwd, values['print-dir']) : undefined, stripe: values.stripe ? { port: values.stripe, swipeTimeoutMs: values['swipe-timeout'] ?? 60_000 } : undefined };
        await checkOutputs(outputs, ctx.signal);
        const reader = await openBatchReader(values.reader, values['virtual-dir'] ?? `${journalPath}.cards`, values['virtual-delay-ms'] ?? 0, ctx, values.profile);
        const done0 = opened.resume.done;
        if (done0 > 0) say(`resuming: ${done0} of ${orders.length} orders already done`);
        const progress = ctx.isTTY && !values.json ? new cliProgress.SingleBar({ format: '{bar} {value}/{total} cards | {rate}/min | ETA {eta_formatted} | {status}', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
        const started = Date.now();
        let count = done0;
        progress?.start(orders.length, done0, { status: 'starting', rate: '0' });
        const onEvent = (e: BatchEvent) => {
          const tag = `order ${e.order.id} (line ${e.order.line})`;
          if (e.type === 'encoded') {
            count++;
            const rate = ((count - done0) / Math.max((Date.now() - started) / 60_000, 1e-9)).toFixed(1);
            if (progress) progress.update(count, { status: `${e.order.id} on ${e.uid}`, rate });
            else say(`${tag}: card ${e.uid} ${e.resumed ? 'finished' : 'encoded'} and verified in ${Math.round(e.report.ms)} ms (${e.report.operations} card commands: ${encodeCounts(e.report)}) [${count}/${orders.length}]`, { event: 'encoded', order: e.order.id, uid: e.uid, ms: e.report.ms });
          } else if (e.type === 'waiting') {
            if (progress) progress.update(count, { status: e.reason });
            else if (e.uid || !(reader instanceof VirtualCardStack)) say(`${tag}: ${e.reason}`, { event: 'waiting', order: e.order.id });
          } else if (e.type === 'refused' || e.type === 'failed') {
            const text = e.type === 'refused' ? e.reason : e.error.message;
            if (progress) progress.update(count, { status: text });
            else say(`${tag}: ${e.type} card ${e.uid}: ${text}`, { event: e.type, order: e.order.id, uid: e.uid });
          }
        };
        const extras = outputs.printDir || outputs.stripe ? (o: Order) => produceExtras(o, outputs, ctx.signal) : undefined;
        try {
          const sum = await runBatch({ orders, reader, keys: { readMaster: keys.readMaster, writeMaster, signingKey: keys.signingKey, keyId: keys.keyId, publicKeys: keys.publicKeys }, journal, onEvent, extras, signal: ctx.signal });
          progress?.stop();
          say(`batch done: ${orders.length} orders, ${sum.encoded} encoded now, ${sum.alreadyDone} done before, ${problems.length} invalid skipped, ${sum.failures} failed attempts; journal ${values.journal}`, { event: 'summary', ...sum, invalid: problems.length });
          return EXIT.OK;
        } catch (e) {
          progress?.stop();
          // Interrupted (SIGINT/SIGTERM) is a stop like any other: the journal keeps the order pending.
          const stop = ctx.signal.aborted ? new BatchStoppedError('interrupted', { cause: e }) : e;
          if (stop instanceof BatchStoppedError) say(`batch stopped: ${stop.message} — run the same command again to resume`, { event: 'stopped' });
          throw stop; // BatchStoppedError is kind 'failed': exit 1, mapped by main.ts
        } finally {
          await reader.close();
        }
      } finally {
        journal.close();
      }
    },
  },
);

async function openBatchReader(spec: string, dir: string, delayMs: number, ctx: CliContext, profile?: string): Promise<CardReader & { eject?: () => void }> {
  if (spec === 'virtual') {
    if (profile !== undefined) throw new UsageError('--profile is for PC/SC readers (--reader pcsc[:NAME])');
    return new VirtualCardStack({ dir, opDelayMs: delayMs });
  }
  // Exclusive: no other PC/SC program may slip APDUs in between the steps of an encode (issue 13).
  return openReader(spec, { signal: ctx.signal, env: ctx.env, profile, exclusive: true });
}

function sayProblems(say: (line: string, data?: object) => void, problems: readonly OrderProblem[]): void {
  for (const p of problems) say(`invalid order at line ${p.line}${p.id ? ` (${p.id})` : ''}: ${p.message}`, { event: 'invalid', ...p });
}
