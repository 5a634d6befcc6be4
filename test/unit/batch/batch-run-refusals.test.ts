/**
 * runBatch (src/batch/run.ts) called directly, one test per refusal and retry path (issue 14 item
 * 1): a card other than the one an order was begun on, a card that already carries an order, a card
 * that is not blank, refusals in a row bounded, a card that cannot be read (three tries, then stop,
 * nothing journalled), an encode that fails three times on one card (journalled, then stop), and
 * the pending order finished on its own card. The reader is scripted: it hands out the listed
 * virtual cards in turn and ejects each (an automatic feeder), so no removal wait is involved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { runBatch, BatchStoppedError, type BatchEvent } from '../../../src/batch/run.js';
import { Journal, header } from '../../../src/batch/journal.js';
import { parseOrders } from '../../../src/batch/orders.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import type { CardReader, MifareClassicCard } from '../../../src/transport/card.js';
import { fromHex } from '../../../src/codec/hex.js';

const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
// The holders of the spec examples `encode-construction` and `encode-cleaning-leading-zeros`.
const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';
const JAN = 'o2,cleaning,000000004711,923609016,Renhold Øst AS,Jan,Kowalski,1991-11-02,M,2027-01-15,2';
const KEYS = { readMaster: fromHex('000102030405060708090a0b0c0d0e0f'), writeMaster: fromHex('101112131415161718191a1b1c1d1e1f') };
const AT = '2026-12-03T10:00:00.000Z';

/** An automatic feeder: hands out `cards` in turn, ejects each; runs dry with an error. */
class ScriptedFeeder extends EventEmitter {
  readonly name = 'scripted feeder';
  readonly handedOut: string[] = [];
  ejects = 0;
  constructor(private readonly cards: MifareClassicCard[]) {
    super();
  }
  async waitForCard(): Promise<MifareClassicCard> {
    const c = this.cards.shift();
    if (!c) throw new Error('feeder empty');
    this.handedOut.push(Buffer.from(c.uid).toString('hex'));
    return c;
  }
  eject(): void {
    this.ejects++;
  }
  async close(): Promise<void> {}
}

/** EventEmitter's `off` is wider than CardReader's; the feeder is one at run time. */
const feeder = (r: ScriptedFeeder) => r as unknown as CardReader & { eject: () => void };

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function journalWith(entries: Parameters<Journal['append']>[0][] = []): Journal {
  dir = mkdtempSync(join(tmpdir(), 'hmsk-runbatch-'));
  const j = Journal.open(join(dir, 'j.jsonl'));
  j.append(header(2, 'a'.repeat(64), new Date(AT)));
  for (const e of entries) j.append(e);
  return j;
}

const orders = () => parseOrders([HEADER, KARI, JAN].join('\n') + '\n').orders;
const blank = (uid: string) => new VirtualMifareClassic1K(uid);

async function run(journal: Journal, cards: MifareClassicCard[], maxRefusals?: number) {
  const reader = new ScriptedFeeder(cards);
  const events: BatchEvent[] = [];
  let error: unknown;
  let summary;
  try {
    summary = await runBatch({ orders: orders(), reader: feeder(reader), keys: KEYS, journal, onEvent: (e) => events.push(e), ...(maxRefusals ? { maxRefusals } : {}) });
  } catch (e) {
    error = e;
  }
  const refused = events.filter((e) => e.type === 'refused').map((e) => (e as { reason: string }).reason);
  return { reader, events, refused, error, summary, entries: journal.state.entries.map((e) => `${e.t}${'uid' in e ? ` ${e.uid}` : ''}${'order' in e ? ` #${e.order}` : ''}`) };
}

describe('runBatch refusals', () => {
  it('an order begun on card X is finished on X only: other cards refused, then X finishes it', async () => {
    const j = journalWith([{ t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: '04000001', at: AT }]);
    const r = await run(j, [blank('04000002'), blank('04000003'), blank('04000001'), blank('04000004')]);
    expect(r.error).toBeUndefined();
    expect(r.refused).toEqual(['order o1 was begun on card 04000001; it is finished on that card only', 'order o1 was begun on card 04000001; it is finished on that card only']);
    expect(r.events.find((e) => e.type === 'encoded' && e.order.id === 'o1')).toMatchObject({ uid: '04000001', resumed: true });
    expect(r.entries.slice(1)).toEqual(['begin 04000001 #0', 'done 04000001 #0', 'begin 04000004 #1', 'done 04000004 #1']);
    expect(r.summary).toMatchObject({ encoded: 2, failures: 0 });
  });

  it('refusals in a row stop the batch, naming the card to present; the order stays pending', async () => {
    const j = journalWith([{ t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: '04000001', at: AT }]);
    const r = await run(j, [blank('04000002'), blank('04000003'), blank('04000005')], 3);
    expect(r.error).toBeInstanceOf(BatchStoppedError);
    expect((r.error as BatchStoppedError).code).toBe('BATCH_STOPPED');
    expect((r.error as Error).message).toMatch(/order o1 \(line 2\): 3 cards refused in a row.*Present card 04000001/);
    expect(r.refused).toHaveLength(3);
    expect(r.reader.ejects).toBe(3);
    expect(j.state.pending).toMatchObject({ order: 0, uid: '04000001' });
  });

  it('a card that already carries an order is refused for the next one', async () => {
    const j = journalWith([
      { t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: '04000001', at: AT },
      { t: 'done', order: 0, id: 'o1', cardNumber: '123456', uid: '04000001', at: AT, ms: 1, operations: 1 },
    ]);
    const r = await run(j, [blank('04000001'), blank('04000009')]);
    expect(r.error).toBeUndefined();
    expect(r.refused).toEqual(['card 04000001 already carries order #1']);
    expect(r.events[0]).toMatchObject({ type: 'skipped' });
    expect(r.summary).toMatchObject({ alreadyDone: 1, encoded: 1 });
    expect(r.entries.slice(3)).toEqual(['begin 04000009 #1', 'done 04000009 #1']);
  });

  it('a card that is not blank (sector 1 no longer on the transport key) is refused, nothing journalled', async () => {
    // A card encoded elsewhere: a first batch, whose journal this one does not have, gave it o1.
    const done = blank('04000007');
    const first = await run(journalWith(), [done, blank('04000008')]);
    expect(first.summary).toMatchObject({ encoded: 2 });
    rmSync(dir, { recursive: true, force: true });
    const j = journalWith();
    const r = await run(j, [done, blank('0400000a'), blank('0400000b')]);
    expect(r.refused).toEqual(['card 04000007 is not blank']);
    expect(r.entries.filter((e) => e.includes('04000007'))).toEqual([]);
  });
});

describe('runBatch retries', () => {
  it('a card that cannot be read: three tries, then stop; nothing journalled, failures counted', async () => {
    const j = journalWith();
    const bad = blank('04000011');
    const cards = [bad, bad, bad, blank('04000012')];
    // Every first operation on the card (the blank check's authentication) fails with IO.
    const reader = new ScriptedFeeder(cards);
    const orig = reader.waitForCard.bind(reader);
    reader.waitForCard = async () => {
      const c = await orig();
      if (c === bad) bad.failOperation(1, 'IO');
      return c;
    };
    const events: BatchEvent[] = [];
    const error = await runBatch({ orders: orders(), reader: feeder(reader), keys: KEYS, journal: j, onEvent: (e) => events.push(e) }).catch((e) => e);
    expect(error).toBeInstanceOf(BatchStoppedError);
    expect(error.message).toMatch(/order o1 \(line 2\): card 04000011 could not be read 3 times/);
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(3);
    expect(reader.handedOut).toEqual(['04000011', '04000011', '04000011']);
    expect(j.state.entries.map((e) => e.t)).toEqual(['batch']);
  });

  it('an encode that fails three times on its card is journalled each time, then the batch stops', async () => {
    const j = journalWith();
    const flaky = blank('04000021');
    const reader = new ScriptedFeeder([flaky, flaky, flaky, blank('04000022')]);
    const orig = reader.waitForCard.bind(reader);
    let n = 0;
    reader.waitForCard = async () => {
      const c = await orig();
      // After the blank check (2 operations) on the first presentation, or at once on a retry:
      // the next write fails, so every attempt leaves the order unfinished on this card.
      if (c === flaky) flaky.failOperation(n++ === 0 ? 4 : 2, 'IO');
      return c;
    };
    const events: BatchEvent[] = [];
    const error = await runBatch({ orders: orders(), reader: feeder(reader), keys: KEYS, journal: j, onEvent: (e) => events.push(e) }).catch((e) => e);
    expect(error).toBeInstanceOf(BatchStoppedError);
    expect(error.message).toMatch(/order o1 \(line 2\) failed 3 times on card 04000021/);
    expect(j.state.entries.map((e) => `${e.t}${'uid' in e ? ` ${e.uid}` : ''}`)).toEqual(['batch', 'begin 04000021', 'fail 04000021', 'fail 04000021', 'fail 04000021']);
    expect(j.state.pending).toMatchObject({ order: 0, uid: '04000021' });
    expect(reader.handedOut).toEqual(['04000021', '04000021', '04000021']);
  });
});
