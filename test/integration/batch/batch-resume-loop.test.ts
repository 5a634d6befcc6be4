/**
 * Issue 19 items 2 and 3 with real processes (`node bin/hmskort.js`, built by
 * `npx tsc -p tsconfig.build.json`): resuming a virtual batch whose pending order's card has left
 * the reader stops after a bounded number of refused cards instead of feeding new cards for ever;
 * SIGTERM and SIGINT stop a batch promptly; a whole last line without its newline is not re-asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFUSALS_PER_ORDER, runBatch } from '../../../src/batch/run.js';
import { Journal, header } from '../../../src/batch/journal.js';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { parseOrders } from '../../../src/batch/orders.js';
import { BATCH_ARGS, BUILT, batchDir, journalEntries, killRunning, runCli } from '../../helpers/batchCli.js';

afterEach(killRunning);

const trayCount = (dir: string) => readdirSync(join(dir, 'j.jsonl.cards/tray')).length;

/** A finished 2-order batch with its last line (the second `done`) removed: order 2 pending on a card in the tray. */
async function pendingOnTrayCard(): Promise<string> {
  const dir = batchDir(2);
  expect((await runCli(dir, BATCH_ARGS).exit).code).toBe(0);
  const text = readFileSync(join(dir, 'j.jsonl'), 'utf8');
  writeFileSync(join(dir, 'j.jsonl'), text.slice(0, text.slice(0, -1).lastIndexOf('\n') + 1));
  return dir;
}

describe.skipIf(!BUILT)('resume of a virtual batch (real processes; needs npx tsc -p tsconfig.build.json)', () => {
  it('a pending order whose card is in the tray: stops after a bounded number of refused cards, naming the card', async () => {
    const dir = await pendingOnTrayCard();
    const r = await runCli(dir, BATCH_ARGS).exit;
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.ms).toBeLessThan(10_000);
    expect(r.out).toContain(`${REFUSALS_PER_ORDER} cards refused in a row`);
    expect(r.out).toContain('Present card f0000002 (it holds part of order k1; a virtual card is in the stack');
    expect(trayCount(dir)).toBe(2 + REFUSALS_PER_ORDER);
    // Run again: the same bounded stop, never a second card for order k1.
    const again = await runCli(dir, BATCH_ARGS).exit;
    expect(again.code).toBe(1);
    expect(journalEntries(dir).filter((e) => e.t === 'begin' && e.order === 1).map((e) => e.uid)).toEqual(['f0000002']);
  }, 60_000);

  it('issue 19 item 2: `truncate -s -1` on a finished journal: nothing asked again, nothing encoded', async () => {
    const dir = batchDir(2);
    expect((await runCli(dir, BATCH_ARGS).exit).code).toBe(0);
    const path = join(dir, 'j.jsonl');
    const size = readFileSync(path).length;
    truncateSync(path, size - 1);
    const r = await runCli(dir, BATCH_ARGS).exit;
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('the last line lacked its newline but is a whole record; kept it');
    expect(r.out).toContain('0 encoded now, 2 done before');
    expect(readFileSync(path).length).toBe(size);
    expect(trayCount(dir)).toBe(2);
  }, 60_000);

  it('an unfinished last line is cut, and the message names the file, the byte count and what was cut', async () => {
    const dir = batchDir(1);
    expect((await runCli(dir, BATCH_ARGS).exit).code).toBe(0);
    writeFileSync(join(dir, 'j.jsonl'), readFileSync(join(dir, 'j.jsonl'), 'utf8') + '{"n":4,"t":"beg');
    const r = await runCli(dir, BATCH_ARGS).exit;
    expect(r.code).toBe(0);
    expect(r.out).toContain('journal j.jsonl: cut an unfinished last line (15 bytes, "{\\"n\\":4,\\"t\\":\\"beg")');
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} stops a running batch promptly; the journal is whole and the next run finishes`, async () => {
      const dir = batchDir(6);
      const run = runCli(dir, [...BATCH_ARGS, '--virtual-delay-ms', '15']);
      await run.printed(/encoded and verified/);
      const t0 = performance.now();
      run.child.kill(signal);
      const r = await run.exit;
      const stopMs = performance.now() - t0;
      expect(r.code, r.out + r.err).toBe(1);
      expect(r.out).toContain('batch stopped: interrupted');
      expect(stopMs).toBeLessThan(3000);
      expect(existsSync(join(dir, 'j.jsonl.lock'))).toBe(false);
      const next = await runCli(dir, BATCH_ARGS).exit;
      expect(next.code, next.out + next.err).toBe(0);
      expect(journalEntries(dir).filter((e) => e.t === 'done').map((e) => e.order).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    }, 60_000);
  }
});

describe('the refusal loop yields to the event loop', () => {
  it('a reader handing out wrong cards without any I/O is still stopped by an abort from a timer', async () => {
    const dir = batchDir(1);
    const { orders } = parseOrders(readFileSync(join(dir, 'orders.csv'), 'utf8'));
    const journal = Journal.open(join(dir, 'j.jsonl'));
    journal.append(header(1, 'ab'.repeat(32), new Date()));
    journal.append({ t: 'begin', order: 0, id: 'k0', cardNumber: '9000', uid: 'f0000001', at: new Date().toISOString() });
    // An automatic feeder: every wait is answered at once with a new card, as VirtualCardStack does.
    let n = 1;
    const reader = Object.assign(new VirtualCardReader(), { eject: () => reader.remove() });
    const waitForCard = reader.waitForCard.bind(reader);
    reader.waitForCard = async (o) => {
      reader.present(new VirtualMifareClassic1K((0xf0000001 + n++).toString(16)));
      return waitForCard(o);
    };
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 100);
    const keys = { readMaster: new Uint8Array(16), writeMaster: new Uint8Array(16) };
    await expect(runBatch({ orders, reader, keys, journal, signal: ac.signal, maxRefusals: Infinity })).rejects.toThrow('stop');
    expect(n).toBeGreaterThan(2);
    journal.close();
  }, 10_000);
});
