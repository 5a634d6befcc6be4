/**
 * The holder read after the decision (issue 18 part 1) on the in-process virtual reader, with the
 * spec's two card examples (test-vectors/spec-examples.json, `card`): the expected names, birth
 * dates and organisations are the examples' holder inputs, not read back from our decoder.
 *
 * Order: the decision event is emitted before the first extra card command (the card's operation
 * count at the decision is the gate's 2: one authentication, one read). A known card costs no
 * extra command. A card pulled mid-read, a corrupted record and a wrong issuer key give an event
 * without holder, counted, and the gate keeps deciding.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gate, type GateDecisionEvent } from '../../../src/gate/gate.js';
import type { GateHolderEvent, HolderReadOptions } from '../../../src/gate/holderRead.js';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { publicKeyOf } from '../../../src/card/signature.js';
import { EventOutbox } from '../../../src/fleet/outbox.js';
import { MemoryEventSink } from '../../../src/fleet/memorySink.js';
import type { PresenceEvent } from '../../../src/fleet/contracts.js';
import type { MifareClassicCard } from '../../../src/transport/card.js';
import { cardExamples, type CardExample } from '../../helpers/cardExamples.js';

const examples = cardExamples();
const signed = examples.find((e) => e.input.signingKey !== undefined)!;
const unsigned = examples.find((e) => e.input.signingKey === undefined)!;
const NOW = Date.UTC(2027, 0, 1, 12);
const keysOf = (ex: CardExample) => ({ [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) });
const expectedHolder = (ex: CardExample) => ({ name: `${ex.holder.givenName} ${ex.holder.familyName}`, birthDate: ex.holder.birthDate, orgName: ex.holder.orgName });
const cardOf = (ex: CardExample) => VirtualMifareClassic1K.fromBlocks(ex.blocks);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Run {
  log: string[];
  decisions: GateDecisionEvent[];
  holders: GateHolderEvent[];
  opsAtDecision: number[];
  gate: Gate;
  reader: VirtualCardReader;
}

function setup(holderRead: HolderReadOptions, ex: CardExample = signed): Run {
  const reader = new VirtualCardReader();
  const gate = new Gate({ readMaster: ex.readMaster, clock: () => NOW, holderRead }).start(reader);
  const run: Run = { log: [], decisions: [], holders: [], opsAtDecision: [], gate, reader };
  gate.on('decision', (d) => {
    run.log.push('decision');
    run.decisions.push(d);
  });
  gate.on('holder-start', () => run.log.push('holder-start'));
  gate.on('holder', (h) => {
    run.log.push('holder');
    run.holders.push(h);
  });
  return run;
}

/** Presents `card`, records its operation count when the decision is emitted, waits for the holder read. */
async function tap(run: Run, card: VirtualMifareClassic1K): Promise<void> {
  const once = () => run.opsAtDecision.push(card.counters.operations);
  run.gate.once('decision', once);
  run.reader.present(card);
  await run.gate.stop(); // waits for the decision and the holder read
  run.gate.start(run.reader);
}

describe('holder read after the decision', () => {
  for (const ex of [signed, unsigned]) {
    it(`${ex.id}: a fresh card gives the decision first, then its verified holder fields`, async () => {
      const run = setup({ publicKeys: ex.input.signingKey ? keysOf(ex) : {} }, ex);
      const errors: Error[] = [];
      run.gate.on('error', (e) => errors.push(e));
      const card = cardOf(ex);
      const t0 = performance.now();
      await tap(run, card);
      const elapsed = performance.now() - t0;
      // No known() given: every card is read, and that is no error to report.
      expect(errors).toEqual([]);
      expect(run.log).toEqual(['decision', 'holder-start', 'holder']);
      // At the decision the card had seen the gate's authentication and read only.
      expect(run.opsAtDecision).toEqual([2]);
      expect(card.counters.operations).toBeGreaterThan(2);
      expect(run.decisions[0]).toMatchObject({ allow: true, reason: 'ok', cardNumber: String(Number(ex.holder.cardNumber)) });
      expect(run.holders[0]).toMatchObject({ cardNumber: String(Number(ex.holder.cardNumber)), holder: expectedHolder(ex) });
      expect(run.holders[0].decision).toBe(run.decisions[0]);
      // The read's duration in ms, to the microsecond: more than nothing, within the whole tap's.
      expect(run.holders[0].ms).toBeGreaterThan(0);
      expect(run.holders[0].ms).toBeLessThanOrEqual(elapsed + 0.001);
      expect(Math.round(run.holders[0].ms * 1000)).toBeCloseTo(run.holders[0].ms * 1000, 6);
      expect(run.gate.holderStats).toMatchObject({ reads: 1, verified: 1, known: 0, invalid: 0, cardErrors: 0 });
    });
  }

  it('a card the site knows: no extra command (one authentication, one read)', async () => {
    const asked: string[] = [];
    const run = setup({ known: (n) => (asked.push(n), true), publicKeys: keysOf(signed) });
    const card = cardOf(signed);
    await tap(run, card);
    expect(asked).toEqual(['123456']);
    expect(card.counters).toMatchObject({ operations: 2, auths: 1, reads: 1 });
    expect(run.log).toEqual(['decision']);
    expect(run.gate.holderStats).toMatchObject({ reads: 0, known: 1 });
  });

  it('an invalid tap (a blank card: no card number) is not followed by a holder read', async () => {
    const run = setup({ publicKeys: keysOf(signed) });
    const blank = new VirtualMifareClassic1K('04a1b2c5');
    await tap(run, blank);
    expect(run.decisions[0]).toMatchObject({ allow: false, reason: 'invalid' });
    expect(run.log).toEqual(['decision']);
    expect(run.gate.holderStats).toMatchObject({ reads: 0, known: 0, verified: 0, invalid: 0, cardErrors: 0 });
  });

  it("readHolderRecord: the record of the gate block's card verifies (not invalid); another card number is HOLDER_MISMATCH, invalid, no holder", async () => {
    const { readHolderRecord } = await import('../../../src/gate/holderRead.js');
    const number = String(Number(signed.holder.cardNumber));
    const ok = await readHolderRecord(cardOf(signed), signed.readMaster, number, keysOf(signed));
    expect(ok).toMatchObject({ holder: expectedHolder(signed), invalid: false });
    expect(ok.error).toBeUndefined();
    // A card swapped in the field between the gate block and the record: not this card's name.
    const other = await readHolderRecord(cardOf(signed), signed.readMaster, '999999', keysOf(signed));
    expect(other).toMatchObject({ error: 'HOLDER_MISMATCH', invalid: true });
    expect(other.holder).toBeUndefined();
    expect(other.operations).toBe(ok.operations);
    // A card object that fails with something other than a CardError (a driver bug): 'IO', not invalid.
    const broken = { uid: Uint8Array.of(1, 2, 3, 4), authenticate: () => Promise.reject(new TypeError('driver bug')), readBlock: () => Promise.reject(new TypeError('driver bug')) } as unknown as MifareClassicCard;
    expect(await readHolderRecord(broken, signed.readMaster, number, keysOf(signed))).toEqual({ error: 'IO', invalid: false, operations: 0 });
  });

  it('no holderRead option: no extra command, no holder events', async () => {
    const reader = new VirtualCardReader();
    const gate = new Gate({ readMaster: signed.readMaster, clock: () => NOW }).start(reader);
    const card = cardOf(signed);
    reader.present(card);
    await gate.stop();
    expect(card.counters).toMatchObject({ operations: 2 });
    expect(gate.holderStats).toBeUndefined();
  });

  it('the card leaves mid-read: CARD_REMOVED, no holder; the gate decides the next card and reads its holder', async () => {
    const run = setup({ publicKeys: keysOf(signed) });
    const card = cardOf(signed);
    card.pullAfter(6); // the gate's 2 commands, then 4 of the holder read
    await tap(run, card);
    expect(run.holders[0]).toMatchObject({ error: 'CARD_REMOVED' });
    expect(run.holders[0].holder).toBeUndefined();
    expect(run.gate.holderStats).toMatchObject({ cardErrors: 1, verified: 0 });
    await tap(run, cardOf(signed));
    expect(run.decisions.map((d) => d.reason)).toEqual(['ok', 'ok']);
    expect(run.holders[1].holder).toEqual(expectedHolder(signed));
  });

  it('a corrupted record read (block 5 one bit off): BAD_CRC, no holder, counted invalid', async () => {
    const run = setup({ publicKeys: keysOf(signed) });
    const card = cardOf(signed);
    // fullRead: auth 0, read 0,1,2,3, auth 1, read 4, 5 -> the 8th command after the gate's 2.
    card.corruptRead(2 + 8, 3, 0x01);
    await tap(run, card);
    expect(run.decisions[0].allow).toBe(true);
    expect(run.holders[0]).toMatchObject({ error: 'BAD_CRC' });
    expect(run.holders[0].holder).toBeUndefined();
    expect(run.gate.holderStats).toMatchObject({ invalid: 1, verified: 0 });
  });

  it('a signed card and another issuer key: SIGNATURE_INVALID; no key at all: UNKNOWN_KEY', async () => {
    const other = { [String(signed.input.keyId)]: publicKeyOf(new Uint8Array(32).fill(7)) };
    const run = setup({ publicKeys: other });
    await tap(run, cardOf(signed));
    expect(run.holders[0]).toMatchObject({ error: 'SIGNATURE_INVALID' });
    const bare = setup({});
    await tap(bare, cardOf(signed));
    expect(bare.holders[0]).toMatchObject({ error: 'UNKNOWN_KEY' });
    expect(bare.holders[0].holder).toBeUndefined();
  });

  it('a wrong holderRead option is refused at construction with INVALID_ARGUMENT naming the option', () => {
    for (const [holderRead, field] of [['yes', 'opts.holderRead'], [{ known: 5 }, 'opts.holderRead.known']] as const) {
      expect(() => new Gate({ readMaster: signed.readMaster, holderRead: holderRead as never })).toThrow(`INVALID_ARGUMENT: Gate: ${field} must be`);
    }
  });

  it('a throwing known() is reported and the card read as unknown', async () => {
    const run = setup({ known: () => { throw new Error('cache down'); }, publicKeys: keysOf(signed) });
    const errors: Error[] = [];
    run.gate.on('error', (e) => errors.push(e));
    await tap(run, cardOf(signed));
    expect(errors.map((e) => e.message)).toEqual(['cache down']);
    expect(run.holders[0].holder).toEqual(expectedHolder(signed));
  });
});

describe('the outbox attaches the holder fields to the presence event', () => {
  async function outboxRun(holderRead: HolderReadOptions, cards: VirtualMifareClassic1K[], holderWaitMs = 1000): Promise<{ events: PresenceEvent[]; box: EventOutbox }> {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-holder-'));
    dirs.push(dir);
    const sink = new MemoryEventSink();
    const box = await EventOutbox.open({ dir, gateId: 'gate-1', site: 'site-1', sink, sync: false, holderWaitMs });
    const run = setup(holderRead);
    box.attach(run.gate);
    for (const c of cards) await tap(run, c);
    await box.drained(5000);
    const events = sink.events;
    await box.close();
    return { events, box };
  }

  it('fresh card with holder, pulled card without, known card without; seqs in decision order', async () => {
    const pulled = cardOf(signed);
    pulled.pullAfter(5);
    const { events, box } = await outboxRun({ publicKeys: keysOf(signed) }, [cardOf(signed), pulled, cardOf(signed)]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0].holder).toEqual(expectedHolder(signed));
    expect(events[1].holder).toBeUndefined();
    expect(events[1].decision).toMatchObject({ cardNumber: '123456', orgNumber: '974760673' });
    expect(events[2].holder).toEqual(expectedHolder(signed));
    expect(box.stats).toMatchObject({ holders: 2, holdersLate: 0 });
  });

  /** The card with 30 ms more per read of any block but the gate's: a slow reader, or a long record. */
  const slow = (card: VirtualMifareClassic1K): MifareClassicCard =>
    new Proxy(card, {
      get(t, k) {
        const v = Reflect.get(t, k, t) as unknown;
        if (k === 'readBlock') return async (b: number) => (b !== 4 && (await new Promise((r) => setTimeout(r, 30))), t.readBlock(b));
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as unknown as MifareClassicCard;

  it('holder fields later than holderWaitMs: the event is written without them (counted late), the next one waits no more than that', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmsk-holder-'));
    dirs.push(dir);
    const sink = new MemoryEventSink();
    const box = await EventOutbox.open({ dir, gateId: 'gate-1', site: 'site-1', sink, sync: false, holderWaitMs: 40 });
    const gate = new Gate({ readMaster: signed.readMaster, clock: () => NOW, holderRead: { publicKeys: keysOf(signed) } });
    box.attach(gate);
    const t0 = performance.now();
    await gate.tap(slow(cardOf(signed)));
    await box.flush(); // bounded by holderWaitMs, not by the read (24 reads of 30 ms)
    const flushed = performance.now() - t0;
    await gate.stop();
    await box.drained(5000);
    expect(flushed).toBeLessThan(500);
    expect(sink.events.map((e) => [e.seq, e.holder])).toEqual([[1, undefined]]);
    expect(box.stats).toMatchObject({ holders: 0, holdersLate: 1 });
    await box.close();
  });
});
