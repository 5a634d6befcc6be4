/**
 * The driver waits moved onto src/transport/wait.ts keep their errors and leave nothing behind
 * (issue 15 item 6, "no behaviour change"): HidSwipeReader.nextSwipe, the MSR206 exchange (with
 * its RESET after a swipe's time-out or abort) and the PC/SC core's whenAttached. The expected
 * messages are the ones the hand-written waits gave (git show main:src/drivers/msr/hidSwipe.ts,
 * main:src/drivers/msr/msr206.ts, main:src/drivers/pcsc/core.ts, before this branch).
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MemoryHidLink } from '../../../../src/transport/hid.js';
import { MemorySerialLink, type SerialLink } from '../../../../src/transport/serial.js';
import { HidSwipeReader } from '../../../../src/drivers/msr/hidSwipe.js';
import { MsrStripeEncoder } from '../../../../src/drivers/msr/stripeEncoder.js';
import { MsrError } from '../../../../src/drivers/msr/errors.js';
import { Msr605Emulator } from '../../../../src/testing/msr605Emulator.js';
import { openPcscReader } from '../../../../src/drivers/pcsc/reader.js';
import { MemoryPcscBinding } from '../../../../src/testing/pcscMemoryBinding.js';
import { CardError } from '../../../../src/transport/card.js';

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as Error & { code?: string });
const listeners = (link: object) => (link as unknown as { listeners: Set<unknown> }).listeners.size;

describe('HidSwipeReader.nextSwipe', () => {
  it('times out with MsrError TIMEOUT "no card swiped within N ms" and stops listening', async () => {
    const [host] = MemoryHidLink.pair();
    const e = await fail(new HidSwipeReader(host).nextSwipe({ timeoutMs: 20 }));
    expect(e).toBeInstanceOf(MsrError);
    expect([e?.code, e?.message]).toEqual(['TIMEOUT', 'TIMEOUT: no card swiped within 20 ms']);
    expect(listeners(host)).toBe(0);
  });
  it('an abort while waiting: CANCELLED "cancelled while waiting for a swipe"; before: "cancelled"', async () => {
    const [host] = MemoryHidLink.pair();
    const reader = new HidSwipeReader(host);
    const ac = new AbortController();
    const p = fail(reader.nextSwipe({ timeoutMs: 1000, signal: ac.signal }));
    ac.abort();
    const e = await p;
    expect([e?.code, e?.message]).toEqual(['CANCELLED', 'CANCELLED: cancelled while waiting for a swipe']);
    expect(listeners(host)).toBe(0);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const before = await fail(reader.nextSwipe({ signal: ac.signal }));
    expect([before?.code, before?.message]).toEqual(['CANCELLED', 'CANCELLED: cancelled']);
    expect(listeners(host)).toBe(0);
  });
  it('a report that does not parse rejects with the parser\'s PROTOCOL error and stops listening', async () => {
    const [host, dev] = MemoryHidLink.pair();
    const p = fail(new HidSwipeReader(host).nextSwipe({ timeoutMs: 1000 }));
    await dev.write(new Uint8Array(10));
    const e = await p;
    expect([e?.code, e?.message]).toEqual(['PROTOCOL', 'PROTOCOL: MagTek report is 10 bytes, needs 337']);
    expect(listeners(host)).toBe(0);
  });
});

describe('Msr206 exchange', () => {
  function setup() {
    const [host, dev] = MemorySerialLink.pair();
    const emu = new Msr605Emulator({});
    emu.attach(dev);
    return { emu, msr: new MsrStripeEncoder(host, { commandTimeoutMs: 500, swipeTimeoutMs: 2000 }) };
  }
  it('a swipe time-out: TIMEOUT "no card swiped within N ms", RESET (ESC a) sent before it rejects', async () => {
    const { emu, msr } = setup();
    const e = await fail(msr.readCard({ timeoutMs: 30 }));
    expect([e?.code, e?.message]).toEqual(['TIMEOUT', 'TIMEOUT: no card swiped within 30 ms']);
    expect(emu.commands.at(-1)).toBe(0x61);
    msr.dispose();
  });
  it('a swipe aborted: CANCELLED "cancelled while waiting for a swipe", RESET sent; aborted before: "cancelled before the command was sent"', async () => {
    const { emu, msr } = setup();
    const ac = new AbortController();
    const p = fail(msr.readIso({ signal: ac.signal }));
    await emu.whenWaiting();
    ac.abort();
    const e = await p;
    expect([e?.code, e?.message]).toEqual(['CANCELLED', 'CANCELLED: cancelled while waiting for a swipe']);
    expect(emu.commands.at(-1)).toBe(0x61);
    expect(emu.waitingForSwipe).toBe(false);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    const before = await fail(msr.readIso({ signal: ac.signal }));
    expect(before?.message).toBe('CANCELLED: cancelled before the command was sent');
    msr.dispose();
  });
  it('a plain command: TIMEOUT "no reply within N ms" and no RESET; the next command still works', async () => {
    const { emu, msr } = setup();
    emu.silent = true;
    const n = emu.commands.length;
    const e = await fail(msr.communicationTest({ timeoutMs: 25 }));
    expect([e?.code, e?.message]).toEqual(['TIMEOUT', 'TIMEOUT: no reply within 25 ms']);
    expect(emu.commands.slice(n)).not.toContain(0x61);
    emu.silent = false;
    await msr.communicationTest();
    msr.dispose();
  });
  it('a write that fails: IO "cannot write to the device: ..." with the cause', async () => {
    const cause = new Error('EIO');
    const link: SerialLink = { write: async () => Promise.reject(cause), onData: () => () => {}, close: async () => {} } as unknown as SerialLink;
    const msr = new MsrStripeEncoder(link, { commandTimeoutMs: 500 });
    const e = await fail(msr.communicationTest());
    expect([e?.code, e?.message, (e as Error).cause]).toEqual(['IO', 'IO: cannot write to the device: EIO', cause]);
  });
});

describe('PcscCardReader.whenAttached (through openPcscReader with a name)', () => {
  it('rejects with CardError IO naming the wanted reader and the readers there are, after the wait', async () => {
    const binding = new MemoryPcscBinding({ readers: ['ACS ACR122U PICC Interface 00 00'] });
    const e = await fail(openPcscReader({ binding, name: 'OMNIKEY', readerWaitMs: 30 }));
    expect(e).toBeInstanceOf(CardError);
    expect([e?.code, e?.message]).toEqual([
      'IO',
      'IO: no PC/SC reader matches "OMNIKEY" after 30 ms; the in-memory PC/SC binding has "ACS ACR122U PICC Interface 00 00"',
    ]);
  });
  it('resolves when the reader is plugged in during the wait', async () => {
    const binding = new MemoryPcscBinding({ readers: [] });
    const opening = openPcscReader({ binding, name: 'OMNIKEY', readerWaitMs: 2000 });
    setTimeout(() => binding.plug('HID Global OMNIKEY 5422 00 00'), 20);
    const reader = await opening;
    expect(reader.name).toContain('OMNIKEY');
    await reader.close();
  });
});
