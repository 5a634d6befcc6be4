/**
 * The one wait helper (src/transport/wait.ts): the event, the time-out, the abort, and that a
 * finished wait holds nothing (no listener on the emitter or the signal, no timer).
 * Expected values are the DOM Standard's ("Aborting ongoing activities": reject with the signal's
 * reason, an AbortError DOMException when abort() got none) and the numbers the test itself sets.
 */
import { EventEmitter, getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { untilAborted, waitFor, WaitTimeoutError } from '../../../src/transport/wait.js';

/** A wait for the emitter's 'ping', as the readers wait for 'card'. */
function waitPing(em: EventEmitter, opts: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  return waitFor<string>({
    what: 'a ping',
    ...opts,
    subscribe: (resolve, reject) => {
      em.on('ping', resolve);
      em.on('fail', reject);
      return () => {
        em.off('ping', resolve);
        em.off('fail', reject);
      };
    },
  });
}

/** Nothing left behind: no listener on the emitter or the signal, no timer. */
function expectNothingHeld(em: EventEmitter, signal?: AbortSignal) {
  expect(em.listenerCount('ping') + em.listenerCount('fail')).toBe(0);
  if (signal) expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  expect(vi.getTimerCount()).toBe(0);
}

describe('waitFor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the event and holds nothing afterwards', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    const p = waitPing(em, { timeoutMs: 1000, signal: ac.signal });
    expect(em.listenerCount('ping')).toBe(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1);
    em.emit('ping', 'pong');
    await expect(p).resolves.toBe('pong');
    expectNothingHeld(em, ac.signal);
  });

  it('times out exactly at timeoutMs with a TIMEOUT error of kind device naming what and how long', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    let outcome: unknown = 'pending';
    const p = waitPing(em, { timeoutMs: 250, signal: ac.signal }).catch((e: unknown) => (outcome = e));
    await vi.advanceTimersByTimeAsync(249);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    await p;
    expect(outcome).toBeInstanceOf(WaitTimeoutError);
    const e = outcome as WaitTimeoutError;
    expect([e.code, e.kind, e.what, e.timeoutMs]).toEqual(['TIMEOUT', 'device', 'a ping', 250]);
    expect(e.message).toBe('TIMEOUT: a ping did not happen within 250 ms');
    expectNothingHeld(em, ac.signal);
    // An event after the time-out changes nothing and finds no listener.
    expect(em.emit('ping', 'late')).toBe(false);
  });

  it('rejects with the caller\'s time-out error when one is given', async () => {
    const em = new EventEmitter();
    const p = waitFor({ what: 'x', timeoutMs: 40, timeoutError: (ms) => new RangeError(`waited ${ms}`), subscribe: () => () => {} });
    const check = expect(p).rejects.toThrow(new RangeError('waited 40'));
    await vi.advanceTimersByTimeAsync(40);
    await check;
    expectNothingHeld(em);
  });

  it('without timeoutMs starts no timer and waits as long as it takes', async () => {
    const em = new EventEmitter();
    const p = waitPing(em);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    em.emit('ping', 'late but fine');
    await expect(p).resolves.toBe('late but fine');
    expectNothingHeld(em);
  });

  it('rejects with the signal\'s reason on abort: an AbortError DOMException by default', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    const p = waitPing(em, { timeoutMs: 1000, signal: ac.signal });
    ac.abort();
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('AbortError');
    expect(e).toBe(ac.signal.reason);
    expectNothingHeld(em, ac.signal);
  });

  it('rejects with the reason given to abort(), or what abortError makes of it', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    const reason = new Error('operator pressed stop');
    const p = waitPing(em, { signal: ac.signal });
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    const ac2 = new AbortController();
    const p2 = waitFor({ what: 'x', signal: ac2.signal, abortError: (r) => new TypeError(`mapped ${(r as Error).message}`), subscribe: () => () => {} });
    ac2.abort(reason);
    await expect(p2).rejects.toThrow(new TypeError('mapped operator pressed stop'));
    expectNothingHeld(em, ac.signal);
    expect(getEventListeners(ac2.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal rejects at once, without subscribing or starting a timer', async () => {
    const subscribe = vi.fn(() => () => {});
    const ac = new AbortController();
    ac.abort(new Error('before'));
    await expect(waitFor({ what: 'x', timeoutMs: 10, signal: ac.signal, subscribe })).rejects.toThrow('before');
    expect(subscribe).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the error the subscription reports, and ignores what comes after the first outcome', async () => {
    const em = new EventEmitter();
    const ac = new AbortController();
    const p = waitPing(em, { timeoutMs: 1000, signal: ac.signal });
    em.emit('fail', new Error('reader unplugged'));
    em.emit('ping', 'too late');
    ac.abort();
    await expect(p).rejects.toThrow('reader unplugged');
    expectNothingHeld(em, ac.signal);
  });

  it('a subscription that delivers while subscribing is unsubscribed as soon as it returns', async () => {
    const unsubscribe = vi.fn();
    const ac = new AbortController();
    const p = waitFor<number>({
      what: 'x',
      timeoutMs: 10,
      signal: ac.signal,
      subscribe: (resolve) => {
        resolve(7);
        return unsubscribe;
      },
    });
    await expect(p).resolves.toBe(7);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('unsubscribes exactly once whatever ends the wait', async () => {
    for (const end of ['event', 'timeout', 'abort'] as const) {
      const unsubscribe = vi.fn();
      const ac = new AbortController();
      let deliver!: (v: number) => void;
      const p = waitFor<number>({ what: 'x', timeoutMs: 5, signal: ac.signal, subscribe: (r) => ((deliver = r), unsubscribe) }).catch(() => -1);
      if (end === 'event') deliver(1);
      if (end === 'abort') ac.abort();
      await vi.advanceTimersByTimeAsync(10);
      await p;
      // A callback the source kept (CardWaiters.resolveAll walks a copy of its list) may still fire: nothing happens.
      deliver(2);
      expect(unsubscribe, end).toHaveBeenCalledTimes(1);
    }
  });

  it('untilAborted resolves on abort, or at once when already aborted', async () => {
    const ac = new AbortController();
    let done = false;
    const p = untilAborted(ac.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    ac.abort();
    await p;
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await expect(untilAborted(ac.signal)).resolves.toBeUndefined();
  });
});

describe('waitFor with real timers', () => {
  it('a wait that ended keeps no timer that would hold the process open', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const em = new EventEmitter();
    const p = waitPing(em, { timeoutMs: 3600_000 });
    expect(timers()).toBe(before + 1);
    em.emit('ping', 'now');
    await p;
    expect(timers()).toBe(before);
  });
});
