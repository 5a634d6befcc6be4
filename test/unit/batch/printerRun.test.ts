/**
 * The printer batch (issue 16 part 5) run by the library on the in-memory printer of
 * test/helpers/memoryPrinter.ts (written from the CardPrinter contract, not from the batch). What
 * is checked is what a batch leaves behind, read independently of the code under test: the output
 * tray's chips decoded by `fullRead`, their stripes framed and decoded by the section-4 decoder,
 * their front panels, the reject box's UIDs, and the journal's lines as JSON.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join } from 'node:path';
import { openBatch } from '../../../src/batch/open.js';
import { runPrinterBatch, type PrinterBatchEvent } from '../../../src/batch/printerRun.js';
import { BatchStoppedError } from '../../../src/batch/run.js';
import { decodeTrack, withLrc } from '../../../src/codec/tracks.js';
import { PANEL_LINES, PANEL_LINE_BYTES, type MonoPanel } from '../../../src/drivers/printer/types.js';
import type { Order } from '../../../src/batch/orders.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { HOLDERS, KEYS, VALID, decodeImage, journalLines, tempDirs } from '../../helpers/batchStack.js';
import { Killed, MemoryPrinter, type OutCard } from '../../helpers/memoryPrinter.js';

const newDir = tempDirs();

/** A front panel that carries the card number in its first line: what the test reads back. */
const face = (order: Order): MonoPanel => {
  const data = new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES);
  data.set(Buffer.from(order.holder.cardNumber, 'ascii'));
  return { data };
};
const faceText = (p?: MonoPanel) => (p ? Buffer.from(p.data.subarray(0, 12)).toString('ascii').replace(/\0+$/, '') : undefined);

/**
 * A run that ended by the process dying: Killed, also when the batch had wrapped it (a kill while
 * it drops the last run's card in the reject box stops with BatchStoppedError, `cause` the kill;
 * found by the property below, seed -1215024699). A dead process's error class is the harness's.
 */
const killed = (e: unknown): boolean => e instanceof Killed || (e instanceof Error && e.cause !== undefined && killed(e.cause));

/** One run on `printer` in `dir` (journal j.jsonl): how it ended. A Killed error is the process dying. */
async function run(dir: string, printer: MemoryPrinter) {
  const ac = new AbortController();
  const opened = await openBatch({ ordersText: VALID.text, journalPath: join(dir, 'j.jsonl') });
  const events: PrinterBatchEvent[] = [];
  const p = new Proxy(printer, {
    get(t, k) {
      const v = Reflect.get(t, k) as unknown;
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        try {
          return await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        } catch (e) {
          if (e instanceof Killed) ac.abort(e);
          throw e;
        }
      };
    },
  });
  try {
    const summary = await runPrinterBatch({ orders: opened.orders, printer: p, reader: printer.reader, keys: KEYS, journal: opened.journal, faces: async (o) => ({ front: face(o) }), onEvent: (e) => events.push(e), signal: ac.signal, goneTimeoutMs: 200, chipTimeoutMs: 200 });
    return { summary, events, error: undefined as unknown };
  } catch (error) {
    return { summary: undefined, events, error };
  } finally {
    opened.journal.close();
  }
}

const tags = (dir: string) => journalLines(join(dir, 'j.jsonl')).map((e) => [e.t, e.uid, e.order === undefined ? undefined : `#${e.order}`, e.step].filter((x) => x !== undefined).join(' '));

/** The stripe as a reader of the finished card sees it: sentinels and LRC around the printer's data. */
const stripeFields = (c: OutCard) => ({ t1: decodeTrack(1, withLrc(1, `%${c.stripe.track1}?`)), t2: decodeTrack(2, withLrc(2, `;${c.stripe.track2}?`)) });

/**
 * The issue's "Done when" for the in-memory printer: every order on exactly one good card (chip,
 * stripe and front all of that order, its UID the journal's `done`), and the reject box holding
 * exactly the cards the journal rejected.
 */
async function checkOutcome(dir: string, printer: MemoryPrinter) {
  const lines = journalLines(join(dir, 'j.jsonl'));
  const done = lines.filter((e) => e.t === 'done');
  expect(printer.tray.map((c) => c.uid)).toEqual(done.map((e) => e.uid));
  const byOrder: Record<string, string> = {};
  for (const c of printer.tray) {
    const r = await decodeImage(c.uid, c.blocks);
    expect(r.error, c.uid).toBeUndefined();
    const cardNumber = r.holder!.cardNumber;
    expect(byOrder[cardNumber], `two good cards carry ${cardNumber}`).toBeUndefined();
    byOrder[cardNumber] = c.uid;
    const { t1, t2 } = stripeFields(c);
    expect([t1.cardNumber, t2.cardNumber, t2.issue]).toEqual([cardNumber, cardNumber, r.holder!.issue]);
    expect(faceText(c.front)).toBe(cardNumber);
  }
  expect(Object.keys(byOrder).sort()).toEqual(['123456', '4711']);
  const rejectedUids = new Set(lines.filter((e) => e.t === 'reject' && e.uid !== undefined).map((e) => e.uid as string));
  expect(new Set(printer.rejectBox.map((c) => c.uid))).toEqual(rejectedUids);
  expect(printer.card).toBeUndefined();
}

describe('runPrinterBatch on an in-memory printer (emulator / scripted replies; no real printer)', () => {
  it('per order: insert, chip, stripe, print, eject; the journal says begin, print, done', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(5);
    const r = await run(dir, printer);
    expect(r.error).toBeUndefined();
    expect(r.summary).toMatchObject({ total: 2, good: 2, rejected: 0, alreadyDone: 0 });
    expect(tags(dir)).toEqual(['batch', 'begin e0000001 #0', 'print e0000001 #0', 'done e0000001 #0', 'begin e0000002 #1', 'print e0000002 #1', 'done e0000002 #1']);
    // The printer's data has no sentinels and no LRC (A5013 p.49): the spec example's tracks
    // (test-vectors/spec-examples.json, encode-construction) without their first and last character.
    expect(printer.tray[0].stripe).toEqual({ track1: 'HB974760673^OESTBY-HAAGENSEN/KARI AERL^0000001234566280630', track2: '974760673=0000001234566=2806301000' });
    expect((await decodeImage(printer.tray[1].uid, printer.tray[1].blocks)).holder).toMatchObject(HOLDERS.o2);
    await checkOutcome(dir, printer);
  });

  it('a chip that fails, a stripe that reads back wrong, a card that is not blank: each rejected with its UID and step, the order on the next blank', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(8);
    printer.feeder[0].failOperation(3, 'IO'); // chip fails during the encode
    printer.garbleNextRead = true; // first stripe read-back differs
    // A card with data in its gate block (block 4) under the transport key: not a blank.
    const used = printer.feeder[2];
    used.importBlocks(used.exportBlocks().map((b, i) => (i === 4 ? '01'.repeat(16) : b)));
    const r = await run(dir, printer);
    expect(r.error).toBeUndefined();
    expect(r.summary).toMatchObject({ good: 2, rejected: 3 });
    expect(tags(dir)).toEqual([
      'batch',
      'begin e0000001 #0',
      'reject e0000001 #0 chip',
      'begin e0000002 #0',
      'reject e0000002 #0 stripe',
      'reject e0000003 #0 check',
      'begin e0000004 #0',
      'print e0000004 #0',
      'done e0000004 #0',
      'begin e0000005 #1',
      'print e0000005 #1',
      'done e0000005 #1',
    ]);
    expect(journalLines(join(dir, 'j.jsonl')).filter((e) => e.t === 'reject').map((e) => e.code)).toEqual(['STEP_FAILED', 'STRIPE_VERIFY', 'NOT_BLANK']);
    await checkOutcome(dir, printer);
  });

  it('a blank whose chip never answers: rejected at the chip step with code NO_CHIP and no UID', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(3);
    const present = printer.reader.present.bind(printer.reader);
    let first = true;
    printer.reader.present = (chip) => void (first ? (first = false) : present(chip)); // the first blank's antenna is dead
    const r = await run(dir, printer);
    expect(r.error).toBeUndefined();
    const rejects = journalLines(join(dir, 'j.jsonl')).filter((e) => e.t === 'reject');
    expect(rejects.map((e) => [e.uid, e.step, e.code])).toEqual([[undefined, 'chip', 'NO_CHIP']]);
  });

  it('a rejected card fed again is refused, never taken for an order', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(1);
    printer.failNext('print', 'RIBBON', 'ERROR RIBBON');
    const r1 = await run(dir, printer);
    expect((r1.error as Error).message).toMatch(/FEEDER EMPTY/);
    // The operator puts the rejected card back in the feeder, with two blanks.
    const rejected = new VirtualMifareClassic1K(printer.rejectBox[0].uid);
    rejected.importBlocks(printer.rejectBox[0].blocks);
    printer.feeder.push(rejected, new VirtualMifareClassic1K('e0000011'), new VirtualMifareClassic1K('e0000012'));
    printer.rejectBox = [];
    const r2 = await run(dir, printer);
    expect(r2.error).toBeUndefined();
    const lines = journalLines(join(dir, 'j.jsonl'));
    expect(lines.filter((e) => e.t === 'reject').map((e) => [e.uid, e.step, e.code])).toEqual([
      ['e0000001', 'print', 'RIBBON'],
      ['e0000001', 'check', 'CARD_REJECTED_BEFORE'],
    ]);
    expect(lines.filter((e) => e.t === 'done').map((e) => e.uid)).toEqual(['e0000011', 'e0000012']);
    await checkOutcome(dir, printer);
  });

  it('a finished card fed again is refused untouched (reject box, journalled at check) and stays its order\'s card', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(1);
    expect(((await run(dir, printer)).error as Error).message).toMatch(/FEEDER EMPTY/);
    const good = printer.tray[0];
    const again = new VirtualMifareClassic1K(good.uid);
    again.importBlocks(good.blocks);
    printer.feeder.push(again, new VirtualMifareClassic1K('e0000021'));
    const r = await run(dir, printer);
    expect(r.error).toBeUndefined();
    expect(tags(dir).slice(-4)).toEqual(['reject e0000001 #1 check', 'begin e0000021 #1', 'print e0000021 #1', 'done e0000021 #1']);
    expect(r.events.find((e) => e.type === 'rejected')).toMatchObject({ reason: expect.stringMatching(/carries order #1: refused untouched; it is that order's good card/) });
    // Untouched: the refused card still holds exactly what it held.
    expect(printer.rejectBox[0].blocks).toEqual(good.blocks);
    await checkOutcome(dir, printer);
  });

  it('feeder empty: the batch stops with the printer\'s words, nothing journalled for it; loaded again, it resumes', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(1);
    const r1 = await run(dir, printer);
    expect(r1.error).toBeInstanceOf(BatchStoppedError);
    expect((r1.error as Error).message).toMatch(/did not take a blank: printer: FEEDER EMPTY\. Load blanks/);
    printer.feeder.push(new VirtualMifareClassic1K('e0000099'));
    const r2 = await run(dir, printer);
    expect(r2.error).toBeUndefined();
    expect(r2.summary).toMatchObject({ good: 1, alreadyDone: 1 });
    await checkOutcome(dir, printer);
  });

  it('a jam while printing: the card journalled rejected, the batch stops; cleared by hand, it resumes on a new blank', async () => {
    const dir = newDir();
    const printer = new MemoryPrinter(4);
    printer.failNext('print', 'CARD_JAM', 'CARD JAM', true);
    const r1 = await run(dir, printer);
    expect(r1.error).toBeInstanceOf(BatchStoppedError);
    expect((r1.error as Error).message).toMatch(/e0000001 could not be dropped in the reject box: printer: CARD JAM/);
    // Still jammed: the batch will not start, and says why in the printer's words.
    const r2 = await run(dir, printer);
    expect((r2.error as Error).message).toMatch(/the printer reports "CARD JAM"/);
    printer.clearJam();
    const r3 = await run(dir, printer);
    expect(r3.error).toBeUndefined();
    expect(tags(dir).slice(1, 4)).toEqual(['begin e0000001 #0', 'print e0000001 #0', 'reject e0000001 #0 print']);
    await checkOutcome(dir, printer);
  });

  // Every gap between two steps: the process dies just before or just after each printer call
  // (the printer acted, its reply lost), then the batch runs again on the printer as it is.
  const killPoints = Array.from({ length: 16 }, (_, i) => i + 1).flatMap((n) => [[n, 'before'] as const, [n, 'after'] as const]);
  it.each(killPoints)('killed at printer call %i (%s it acted): resumes to one good card per order', async (call, when) => {
    const dir = newDir();
    const printer = new MemoryPrinter(8);
    printer.kill = { call, when };
    const r1 = await run(dir, printer);
    printer.kill = undefined;
    if (r1.error !== undefined) expect(killed(r1.error), String(r1.error)).toBe(true);
    const r2 = await run(dir, printer);
    expect(r2.error).toBeUndefined();
    await checkOutcome(dir, printer);
  });

  // Kills in a row (a resumed batch killed again, also while it settles the last run's card) with
  // faults on the way: whatever the order of events, it ends with one good card per order.
  it('property: up to three kills at random printer calls, with chip, stripe and print faults, still end with one good card per order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ call: fc.integer({ min: 1, max: 14 }), when: fc.constantFrom('before' as const, 'after' as const) }), { maxLength: 3 }),
        fc.record({ chipCard: fc.option(fc.integer({ min: 0, max: 3 })), garble: fc.boolean(), ribbon: fc.boolean() }),
        async (kills, faults) => {
          const dir = newDir();
          const printer = new MemoryPrinter(12);
          if (faults.chipCard !== null) printer.feeder[faults.chipCard].failOperation(7, 'IO');
          printer.garbleNextRead = faults.garble;
          if (faults.ribbon) printer.failNext('print', 'RIBBON', 'ERROR RIBBON');
          for (const k of kills) {
            printer.calls = 0;
            printer.kill = k;
            const r = await run(dir, printer);
            if (r.error !== undefined) expect(killed(r.error), String(r.error)).toBe(true);
          }
          printer.kill = undefined;
          const r = await run(dir, printer);
          expect(r.error).toBeUndefined();
          await checkOutcome(dir, printer);
        },
      ),
      // The counterexample a CI run found: killed while settling the last run's card.
      { numRuns: 30, examples: [[[{ call: 5, when: 'before' }, { call: 2, when: 'before' }], { chipCard: null, garble: true, ribbon: false }]] },
    );
  }, 60_000);
});
