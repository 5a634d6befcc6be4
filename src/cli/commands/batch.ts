/**
 * `hmskort batch ORDERS.csv --keys KEYS.json --reader pcsc[:NAME]|virtual --journal FILE
 *  [--stripe PORT] [--print-dir DIR] [--skip-invalid] [--truncate] [--json]`:
 * the production line. Validates every order first, then encodes one blank card per order,
 * verifies it, optionally writes the stripe and renders the print files, and journals each card
 * with fsync before the next. Killed and run again, it resumes; no order is encoded twice.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { EXIT, UsageError, type CliCommand, type CliContext } from '../command.js';
import { loadKeys } from '../cardIo.js';
import { openReader } from '../readerSelect.js';
import { parseOrders, type Order } from '../../batch/orders.js';
import { Journal, JournalError, header as journalHeader } from '../../batch/journal.js';
import { quote } from '../../batch/journalFormat.js';
import { runBatch, type BatchEvent } from '../../batch/run.js';
import { VirtualCardStack } from '../../testing/cardStack.js';
import type { CardReader } from '../../transport/card.js';
import { checkOutputs, produceExtras, type Outputs } from './batchOutputs.js';

const usage = `Usage: hmskort batch ORDERS.csv --keys KEYS.json --reader pcsc[:NAME]|virtual --journal FILE
                      [--stripe PORT] [--print-dir DIR] [--skip-invalid] [--truncate] [--json]

ORDERS.csv has a header with the holder fields: category, cardNumber, orgNumber, orgName,
givenName, familyName, birthDate, gender, expiry, optional issue and orderId.

Every order is validated first; any bad row (reported with its line) stops the batch before a card
is touched, unless --skip-invalid. Then, per order: wait for a blank card, encode and verify it,
write the stripe (--stripe PORT, an MSR206/605 encoder), render barcode PNG and card-back SVG
(--print-dir), append the result to the journal with fsync. Run again after a crash or kill: it
resumes at the next order; an order interrupted on a card is finished on that same card.

  --reader virtual         a stack of blank virtual cards kept in --virtual-dir (default FILE.cards/)
  --virtual-delay-ms N     delay per card command on the virtual stack (air time model)
  --swipe-timeout MS       how long the stripe encoder waits for each swipe (default 60000)
One batch at a time per journal: FILE.lock names the process holding it (pid, host, since when); a
lock left by a killed process on this host is taken over, one from another host is never broken.
Exit status: 0 all orders done; 1 stopped on a card; 3 invalid orders, another batch's journal or a
damaged journal line (named with its line number); 4 journal in use, journal not writable (disk
full: free space and run again to resume), or an output (--print-dir, --stripe) that cannot be used.`;

export const command: CliCommand = {
  name: 'batch',
  summary: 'encode a production batch from a CSV of orders, crash-safe with a journal',
  usage,
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        keys: { type: 'string' },
        reader: { type: 'string' },
        journal: { type: 'string' },
        stripe: { type: 'string' },
        'print-dir': { type: 'string' },
        'skip-invalid': { type: 'boolean' },
        truncate: { type: 'boolean' },
        'virtual-dir': { type: 'string' },
        'virtual-delay-ms': { type: 'string' },
        'swipe-timeout': { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one ORDERS.csv');
    if (!values.journal) throw new UsageError('--journal FILE is required');
    if (!values.reader) throw new UsageError('--reader pcsc[:NAME]|virtual is required');
    const say = (line: string, data?: object) => (values.json ? ctx.stdout(JSON.stringify({ ...data, message: line }) + '\n') : ctx.stdout(line + '\n'));

    const ordersText = await readFile(resolve(ctx.cwd, positionals[0]), 'utf8');
    const sha = createHash('sha256').update(ordersText).digest('hex');
    const { orders, problems } = parseOrders(ordersText, { truncate: values.truncate });
    for (const p of problems) say(`invalid order at line ${p.line}${p.id ? ` (${p.id})` : ''}: ${p.message}`, { event: 'invalid', ...p });
    if (problems.length > 0 && !values['skip-invalid']) {
      say(`${problems.length} invalid order(s); nothing encoded. Fix them or pass --skip-invalid.`, { event: 'stopped' });
      return EXIT.DATA;
    }
    const keys = await loadKeys(values.keys, ctx);
    const writeMaster = keys.requireWriteMaster();

    const journalPath = resolve(ctx.cwd, values.journal);
    let journal: Journal;
    try {
      journal = Journal.open(journalPath);
    } catch (e) {
      if (e instanceof JournalError) return journalFailed(e, ctx);
      throw e;
    }
    try {
      const took = journal.lock.tookOver;
      if (took) say(`journal: took over the lock of process ${took.holder.pid} (since ${took.holder.since}): ${took.reason}`, { event: 'lock' });
      const rep = journal.repair;
      if (rep.kind === 'cut') say(`journal ${values.journal}: cut an unfinished last line (${rep.bytes} bytes, ${quote(rep.text)}) left by an interrupted write; it was never acknowledged`, { event: 'repaired' });
      if (rep.kind === 'completed') say(`journal ${values.journal}: the last line lacked its newline but is a whole record; kept it and added the newline`, { event: 'repaired' });
      const header = journal.state.header;
      if (header && header.ordersSha256 !== sha) {
        say(`journal ${values.journal} belongs to another order file (sha256 ${header.ordersSha256.slice(0, 12)}…); use a new journal`, { event: 'stopped' });
        return EXIT.DATA;
      }
      if (!header) journal.append(journalHeader(orders.length, sha, new Date()));
      for (const p of problems) if (!journal.state.entries.some((e) => e.t === 'skip' && e.line === p.line)) journal.append({ t: 'skip', line: p.line, id: p.id, code: p.code, message: p.message, at: new Date().toISOString() });

      const swipeTimeoutMs = Number(values['swipe-timeout'] ?? 60_000);
      if (!(swipeTimeoutMs > 0)) throw new UsageError('--swipe-timeout takes milliseconds > 0');
      const outputs: Outputs = { printDir: values['print-dir'] ? resolve(ctx.cwd, values['print-dir']) : undefined, stripe: values.stripe ? { port: values.stripe, swipeTimeoutMs } : undefined };
      await checkOutputs(outputs, ctx.signal);
      const reader = await openBatchReader(values.reader, values['virtual-dir'] ?? `${journalPath}.cards`, Number(values['virtual-delay-ms'] ?? 0), ctx);
      const done0 = journal.state.done.size;
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
          else say(`${tag}: card ${e.uid} ${e.resumed ? 'finished' : 'encoded'} and verified in ${Math.round(e.report.ms)} ms (${e.report.operations} card commands) [${count}/${orders.length}]`, { event: 'encoded', order: e.order.id, uid: e.uid, ms: e.report.ms });
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
        if ((e as { code?: string }).code === 'BATCH_STOPPED' || ctx.signal.aborted) {
          say(`batch stopped: ${ctx.signal.aborted ? 'interrupted' : (e as Error).message} — run the same command again to resume`, { event: 'stopped' });
          return EXIT.FAILED;
        }
        throw e;
      } finally {
        await reader.close();
      }
    } catch (e) {
      if (e instanceof JournalError) return journalFailed(e, ctx);
      throw e;
    } finally {
      journal.close();
    }
  },
};

async function openBatchReader(spec: string, dir: string, delayMs: number, ctx: CliContext): Promise<CardReader & { eject?: () => void }> {
  if (spec === 'virtual') {
    if (!Number.isFinite(delayMs) || delayMs < 0) throw new UsageError('--virtual-delay-ms takes a number >= 0');
    return new VirtualCardStack({ dir, opDelayMs: delayMs });
  }
  return openReader(spec, { signal: ctx.signal, env: ctx.env });
}

/** A journal that is damaged is bad data (3); one in use or not writable is I/O (4). */
function journalFailed(e: JournalError, ctx: CliContext): number {
  ctx.stderr(`hmskort batch: ${e.message}\n`);
  return e.code === 'JOURNAL_DAMAGED' ? EXIT.DATA : EXIT.DEVICE;
}
