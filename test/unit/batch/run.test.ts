/**
 * A whole batch run by the library (openBatch, then runBatch) on the virtual card stack
 * (src/testing/cardStack.ts), one test per refusal and retry path: a batch interrupted on a card
 * resumes on that card, the pending order's card gone (refusals in a row bounded), a card that
 * already carries an order, a card that is not blank, a card that cannot be read (three tries),
 * an encode that fails three times on its card. The stack hands out UIDs f0000001, f0000002, ...
 * and ejects each finished card to its tray; what is checked is what is left behind: the journal
 * read back as JSON lines and the cards decoded by `fullRead`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBatch, type OpenedBatch } from '../../../src/batch/open.js';
import { BatchStoppedError, REFUSALS_PER_ORDER, runBatch, type BatchEvent } from '../../../src/batch/run.js';
import { CardError } from '../../../src/transport/card.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { FaultyStack, HOLDERS, KEYS, MIXED, VALID, decodeField, decodeImage, journalLines, lineTags, tempDir } from '../../helpers/batchStack.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const newDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

/** One run of the batch in `dir` (journal j.jsonl, stack cards/): what it did and how it ended. */
async function run(dir: string, setup: (stack: FaultyStack, ac: AbortController) => void = () => {}, orders: { text: string; skipInvalid?: boolean } = { text: VALID.text }) {
  const stack = new FaultyStack({ dir: join(dir, 'cards') });
  const ac = new AbortController();
  setup(stack, ac);
  const opened: OpenedBatch = await openBatch({ ordersText: orders.text, skipInvalid: orders.skipInvalid, journalPath: join(dir, 'j.jsonl') }).catch(async (e) => {
    await stack.close();
    throw e;
  });
  const events: BatchEvent[] = [];
  try {
    const summary = await runBatch({ orders: opened.orders, reader: stack, keys: KEYS, journal: opened.journal, onEvent: (e) => events.push(e), signal: ac.signal });
    return { stack, events, summary, error: undefined as unknown, resume: opened.resume };
  } catch (error) {
    return { stack, events, summary: undefined, error, resume: opened.resume };
  } finally {
    opened.journal.close();
    await stack.close();
  }
}

const refusals = (events: BatchEvent[]) => events.flatMap((e) => (e.type === 'refused' ? [e.reason] : []));
const journal = (dir: string) => lineTags(join(dir, 'j.jsonl'));

/** The tray's cards decoded: UID -> holder (fields of the CSV), every one verified (no `error`). */
async function trayHolders(stack: FaultyStack) {
  const out: Record<string, unknown> = {};
  for (const [uid, blocks] of stack.tray()) {
    const r = await decodeImage(uid, blocks);
    expect(r.error, uid).toBeUndefined();
    out[uid] = r.holder;
  }
  return out;
}

/** A first batch in another folder: a tray card carrying o1, for a batch that has no journal of it. */
async function cardOfAnotherBatch(): Promise<{ uid: string; blocks: string[] }> {
  const other = newDir();
  const r = await run(other);
  expect(r.error).toBeUndefined();
  return { uid: 'f0000001', blocks: r.stack.tray().get('f0000001')! };
}

describe('runBatch on the virtual card stack', () => {
  it('encodes one card per order: the journal says so and each card decodes to its CSV row', async () => {
    const dir = newDir();
    const r = await run(dir);
    expect(r.error).toBeUndefined();
    expect(r.summary).toMatchObject({ total: 2, encoded: 2, alreadyDone: 0, failures: 0 });
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0', 'done f0000001 #0', 'begin f0000002 #1', 'done f0000002 #1']);
    expect(await trayHolders(r.stack)).toEqual({ f0000001: expect.objectContaining(HOLDERS.o1), f0000002: expect.objectContaining(HOLDERS.o2) });
  });

  it('invalid rows skipped: journalled once as skip, the valid orders keep their cards; not skipped: no card touched', async () => {
    const refused = newDir();
    const e = await run(refused, () => {}, { text: MIXED.text }).catch((x) => x);
    expect(e).toMatchObject({ code: 'INVALID_ORDERS' });
    expect(readdirSync(join(refused, 'cards', 'tray'))).toEqual([]);
    expect(existsSync(join(refused, 'cards', 'stack.json'))).toBe(false);
    const dir = newDir();
    const r = await run(dir, () => {}, { text: MIXED.text, skipInvalid: true });
    expect(r.error).toBeUndefined();
    expect(journal(dir)).toEqual(['batch', 'skip', 'begin f0000001 #0', 'done f0000001 #0', 'begin f0000002 #1', 'done f0000002 #1']);
    expect(journalLines(join(dir, 'j.jsonl'))[1]).toMatchObject({ line: 3, id: 'bad', code: 'INVALID_ORG_NUMBER' });
    expect(await trayHolders(r.stack)).toEqual({ f0000001: expect.objectContaining(HOLDERS.o1), f0000002: expect.objectContaining(HOLDERS.o2) });
  });

  it('interrupted on a card half-way through its encode: the next run finishes the order on that same card', async () => {
    const dir = newDir();
    const first = await run(dir, (stack, ac) => {
      stack.onCard = (card) => {
        let writes = 0;
        const write = card.writeBlock.bind(card);
        card.writeBlock = async (block, data) => {
          // The process is killed after the third block write: the card is left half-written.
          if (++writes > 3) {
            ac.abort(new Error('killed'));
            throw new CardError('IO', 'killed');
          }
          return write(block, data);
        };
      };
    });
    expect((first.error as Error).message).toContain('killed');
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0']);
    // Half-written: no longer blank, and it does not verify (or not even authenticate).
    const field = JSON.parse(readFileSync(join(dir, 'cards', 'field.json'), 'utf8')) as { blocks: string[] };
    expect(field.blocks).not.toEqual(new VirtualMifareClassic1K('f0000001').exportBlocks());
    expect(await decodeField(join(dir, 'cards')).then((x) => x.error?.code ?? 'verified', (e: CardError) => e.code)).not.toBe('verified');
    const second = await run(dir);
    expect(second.resume).toEqual({ done: 0, pending: { order: 0, uid: 'f0000001' } });
    expect(second.error).toBeUndefined();
    expect(second.events.find((e) => e.type === 'encoded' && e.order.id === 'o1')).toMatchObject({ uid: 'f0000001', resumed: true });
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0', 'done f0000001 #0', 'begin f0000002 #1', 'done f0000002 #1']);
    expect(await trayHolders(second.stack)).toEqual({ f0000001: expect.objectContaining(HOLDERS.o1), f0000002: expect.objectContaining(HOLDERS.o2) });
  });

  it("the pending order's card has left for good: every other card is refused, and refusals in a row stop the batch naming that card", async () => {
    const dir = newDir();
    expect((await run(dir)).error).toBeUndefined();
    // The last line (order o2 done on f0000002) lost: o2 is pending on a card that is in the tray.
    const path = join(dir, 'j.jsonl');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, text.slice(0, -1).lastIndexOf('\n') + 1));
    const r = await run(dir);
    expect(r.error).toBeInstanceOf(BatchStoppedError);
    expect(r.error).toMatchObject({ code: 'BATCH_STOPPED', kind: 'failed' }); // exit 1: a stopped batch (src/cli/exitStatus.ts)
    expect((r.error as Error).message).toContain(`order o2 (line 3): ${REFUSALS_PER_ORDER} cards refused in a row`);
    expect((r.error as Error).message).toContain('Present card f0000002');
    expect(r.stack.handedOut).toEqual(['f0000003', 'f0000004', 'f0000005', 'f0000006', 'f0000007']);
    expect(refusals(r.events)).toEqual(Array(REFUSALS_PER_ORDER).fill('order o2 was begun on card f0000002; it is finished on that card only'));
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0', 'done f0000001 #0', 'begin f0000002 #1']);
  });

  it('a card that already carries an order is refused for the next order', async () => {
    const dir = newDir();
    const cards = join(dir, 'cards');
    expect((await run(dir)).error).toBeUndefined();
    // The journal cut back to o1 done on f0000001 (o2 not begun); f0000001 put back on the reader.
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    renameSync(join(cards, 'tray', 'f0000001.json'), join(cards, 'field.json'));
    const r = await run(dir);
    expect(r.error).toBeUndefined();
    expect(r.summary).toMatchObject({ alreadyDone: 1, encoded: 1 });
    expect(refusals(r.events)).toEqual(['card f0000001 already carries order #1']);
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0', 'done f0000001 #0', 'begin f0000003 #1', 'done f0000003 #1']);
    // Refused, not touched: f0000001 still carries o1.
    expect((await trayHolders(r.stack)).f0000001).toMatchObject(HOLDERS.o1);
  });

  it('a card that is not blank (encoded by another batch) is refused; nothing journalled for it', async () => {
    const foreign = await cardOfAnotherBatch();
    const dir = newDir();
    const cards = join(dir, 'cards');
    new FaultyStack({ dir: cards });
    // The other batch's card on the reader; this stack's own blanks start at f000000a.
    writeFileSync(join(cards, 'field.json'), JSON.stringify({ uid: foreign.uid, blocks: foreign.blocks }));
    writeFileSync(join(cards, 'stack.json'), JSON.stringify({ next: 10 }));
    const r = await run(dir);
    expect(r.error).toBeUndefined();
    expect(refusals(r.events)).toEqual(['card f0000001 is not blank']);
    expect(journal(dir)).toEqual(['batch', 'begin f000000a #0', 'done f000000a #0', 'begin f000000b #1', 'done f000000b #1']);
    // Refused, not touched: it still carries the other batch's o1, byte for byte.
    expect(r.stack.tray().get('f0000001')).toEqual(foreign.blocks);
  });

  it('a card that cannot be read: three tries, then the batch stops; nothing journalled, three failures', async () => {
    const dir = newDir();
    const r = await run(dir, (stack) => (stack.onCard = (card) => card.failOperation(1, 'IO')));
    expect(r.error).toBeInstanceOf(BatchStoppedError);
    expect((r.error as Error).message).toContain('order o1 (line 2): card f0000001 could not be read 3 times');
    expect(r.stack.handedOut).toEqual(['f0000001', 'f0000001', 'f0000001']);
    expect(r.events.filter((e) => e.type === 'failed')).toHaveLength(3);
    expect(journal(dir)).toEqual(['batch']);
  });

  it('an encode that fails three times on its card: journalled each time, then the batch stops; the card finishes it next run', async () => {
    const dir = newDir();
    const r = await run(dir, (stack) => {
      stack.onCard = (card) => {
        card.writeBlock = async () => {
          throw new CardError('IO', 'write refused by the test');
        };
      };
    });
    expect(r.error).toBeInstanceOf(BatchStoppedError);
    expect((r.error as Error).message).toContain('order o1 (line 2) failed 3 times on card f0000001');
    expect(r.stack.handedOut).toEqual(['f0000001', 'f0000001', 'f0000001']);
    expect(journal(dir)).toEqual(['batch', 'begin f0000001 #0', 'fail f0000001 #0', 'fail f0000001 #0', 'fail f0000001 #0']);
    const again = await run(dir);
    expect(again.error).toBeUndefined();
    expect(again.events.find((e) => e.type === 'encoded')).toMatchObject({ uid: 'f0000001', resumed: true });
    expect(await trayHolders(again.stack)).toEqual({ f0000001: expect.objectContaining(HOLDERS.o1), f0000002: expect.objectContaining(HOLDERS.o2) });
  });
});
