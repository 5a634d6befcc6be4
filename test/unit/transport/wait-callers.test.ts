/**
 * The waits built on src/transport/wait.ts keep their errors and leave nothing behind (issue 15
 * item 6, "no behaviour change"): the virtual reader's and the PC/SC driver's waitForCard, and the
 * batch's wait for a refused card to be taken off a hand-fed reader. The expected messages are the
 * ones these waits gave before they shared the helper (git show 5c17eac:src/testing/virtualReader.ts,
 * src/drivers/pcsc/waiters.ts, src/batch/run.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { getEventListeners } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualCardReader } from '../../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { CardWaiters } from '../../../src/drivers/pcsc/waiters.js';
import { CardError, type MifareClassicCard } from '../../../src/transport/card.js';
import { runBatch, BatchStoppedError, type BatchEvent } from '../../../src/batch/run.js';
import { Journal, header } from '../../../src/batch/journal.js';
import { parseOrders } from '../../../src/batch/orders.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function settle<T>(p: Promise<T>, ms: number): Promise<T | unknown> {
  const out = p.catch((e: unknown) => e);
  await vi.advanceTimersByTimeAsync(ms);
  return out;
}

describe('VirtualCardReader.waitForCard', () => {
  it('times out with CardError TIMEOUT "no card within N ms", removing its listener and timer', async () => {
    const reader = new VirtualCardReader();
    const e = await settle(reader.waitForCard({ timeoutMs: 50 }), 50);
    expect(e).toBeInstanceOf(CardError);
    expect([(e as CardError).code, (e as CardError).message, (e as CardError).kind]).toEqual(['TIMEOUT', 'TIMEOUT: no card within 50 ms', 'device']);
    expect(reader.listenerCount('card')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('on abort rejects with CardError TIMEOUT "waiting for a card was aborted", the reason as cause', async () => {
    const reader = new VirtualCardReader();
    const ac = new AbortController();
    const p = reader.waitForCard({ timeoutMs: 1000, signal: ac.signal }).catch((e: unknown) => e);
    const reason = new Error('Ctrl-C');
    ac.abort(reason);
    const e = (await p) as CardError;
    expect([e.code, e.message, e.cause]).toEqual(['TIMEOUT', 'TIMEOUT: waiting for a card was aborted', reason]);
    expect(reader.listenerCount('card')).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves with the card presented, removing its listeners', async () => {
    const reader = new VirtualCardReader();
    const ac = new AbortController();
    const p = reader.waitForCard({ timeoutMs: 1000, signal: ac.signal });
    const card = new VirtualMifareClassic1K('04000001');
    reader.present(card);
    expect(Buffer.from((await p).uid).toString('hex')).toBe('04000001');
    expect(reader.listenerCount('card')).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('CardWaiters (PC/SC reader core)', () => {
  const card = { uid: new Uint8Array([4, 0, 0, 1]) } as MifareClassicCard;

  it('times out with CardError TIMEOUT naming the reader; a later error goes to the emitter, not to the ended wait', async () => {
    const w = new CardWaiters();
    const e = await settle(w.wait('ACR122U', { timeoutMs: 75 }), 75);
    expect([(e as CardError).code, (e as CardError).message]).toEqual(['TIMEOUT', 'TIMEOUT: no card within 75 ms on ACR122U']);
    const emitted: Error[] = [];
    w.report(new Error('late'), (err) => (emitted.push(err), true));
    expect(emitted.map((x) => x.message)).toEqual(['late']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts with CardError TIMEOUT, the reason as cause; resolveAll and report reach the waiting callers only', async () => {
    const w = new CardWaiters();
    const ac = new AbortController();
    const aborted = w.wait('R', { signal: ac.signal }).catch((e: unknown) => e);
    const waiting = w.wait('R', { timeoutMs: 500 });
    ac.abort('stop');
    const e = (await aborted) as CardError;
    expect([e.code, e.message, e.cause]).toEqual(['TIMEOUT', 'TIMEOUT: waiting for a card was aborted', 'stop']);
    w.resolveAll(card);
    await expect(waiting).resolves.toBe(card);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    // Nobody waits now: an error with no listener is kept for the next wait.
    w.report(new Error('kept'), () => false);
    await expect(w.wait('R', {})).rejects.toThrow('kept');
  });
});

describe('runBatch: a refused card on a hand-fed reader (no eject) must be taken off', () => {
  const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
  const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';
  const KEYS = { readMaster: new Uint8Array(16), writeMaster: new Uint8Array(16).fill(1) };
  const AT = '2026-12-03T10:00:00.000Z';
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Order o1 begun on card 04000001; card 04000002 is on the reader, so it is refused. */
  function start(opts: { removalTimeoutMs: number; signal?: AbortSignal }) {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-wait-'));
    const journal = Journal.open(join(dir, 'j.jsonl'));
    journal.append(header(1, 'a'.repeat(64), new Date(AT)));
    journal.append({ t: 'begin', order: 0, id: 'o1', cardNumber: '123456', uid: '04000001', at: AT });
    const reader = new VirtualCardReader();
    reader.present(new VirtualMifareClassic1K('04000002'));
    const events: BatchEvent['type'][] = [];
    const done = runBatch({ orders: parseOrders(`${HEADER}\n${KARI}\n`).orders, reader, keys: KEYS, journal, onEvent: (e) => events.push(e.type), ...opts }).catch((e: unknown) => e);
    return { reader, events, done, journal };
  }

  it('stops the batch with BatchStoppedError naming the card and the seconds when it stays on', async () => {
    const { reader, done, events, journal } = start({ removalTimeoutMs: 90_000 });
    await vi.advanceTimersByTimeAsync(89_999);
    expect(events).toEqual(['waiting', 'refused']);
    await vi.advanceTimersByTimeAsync(1);
    const e = await done;
    expect(e).toBeInstanceOf(BatchStoppedError);
    expect((e as Error).message).toBe('card 04000002 was not taken off the reader within 90 s; take it off and run the batch again');
    expect(reader.listenerCount('removed')).toBe(0);
    journal.close();
  });

  it('goes on to wait for the next card once the refused one is taken off', async () => {
    const ac = new AbortController();
    const { reader, done, events, journal } = start({ removalTimeoutMs: 90_000, signal: ac.signal });
    await vi.advanceTimersByTimeAsync(10);
    reader.remove();
    await vi.advanceTimersByTimeAsync(10);
    expect(events).toEqual(['waiting', 'refused', 'waiting']);
    expect(reader.listenerCount('removed')).toBe(0);
    ac.abort(new Error('operator stop'));
    await expect(done).resolves.toBeInstanceOf(CardError); // the wait for a card, aborted
    journal.close();
  });

  it('an abort while the card is on the reader rejects with the signal\'s reason', async () => {
    const ac = new AbortController();
    const { reader, done, journal } = start({ removalTimeoutMs: 90_000, signal: ac.signal });
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('operator stop');
    ac.abort(reason);
    expect(await done).toBe(reason);
    expect(reader.listenerCount('removed')).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    journal.close();
  });
});
