/**
 * Issue 5: the MSR206/605 driver against the MSR605 emulator (built from the programmer's manual)
 * over an in-memory link: every command, every status byte path, swipe timeout and cancel, write
 * + verify of the spec example holder, Lo-Co/Hi-Co, raw mode both swipe directions. Expected
 * track strings and fields are the spec's examples (examples.json), not our output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MemorySerialLink } from '../../../../src/transport/serial.js';
import { Msr605Emulator } from '../../../../src/testing/msr605Emulator.js';
import { MsrStripeEncoder } from '../../../../src/drivers/msr/stripeEncoder.js';
import { MsrError } from '../../../../src/drivers/msr/errors.js';
import { validateHolder } from '../../../../src/codec/holder.js';
import { decodeTrackBits } from '../../../../src/codec/tracks.js';
import { fromHex } from '../../../../src/codec/hex.js';

const examples = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../../test-vectors/spec-examples.json'), 'utf8')).vectors as any[];
const enc = examples.find((v) => v.id === 'encode-construction');
const holder = validateHolder(enc.input.holder);
const fields1 = examples.find((v) => v.id === 'track1-decode').expect.fields;
const fields2 = examples.find((v) => v.id === 'track2-decode').expect.fields;

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

function setup(opts: ConstructorParameters<typeof Msr605Emulator>[0] = {}, chunkSize?: number) {
  const [host, dev] = MemorySerialLink.pair();
  if (chunkSize) {
    host.faults.chunkSize = chunkSize;
    dev.faults.chunkSize = chunkSize;
  }
  const emu = new Msr605Emulator(opts);
  emu.attach(dev);
  const msr = new MsrStripeEncoder(host, { commandTimeoutMs: 500, swipeTimeoutMs: 2000 });
  cleanup.push(() => msr.dispose());
  return { emu, msr, host };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    if (e instanceof MsrError) return e.code;
    throw e;
  }
}

describe('device commands (manual section 6)', () => {
  it('communication test, model, firmware, RAM test, LEDs, reset', async () => {
    const { emu, msr } = setup();
    await msr.reset();
    await msr.communicationTest();
    expect(await msr.model()).toBe('3');
    expect(await msr.firmware()).toBe('REVU3.04');
    await msr.ramTest();
    await msr.led('green');
    await msr.communicationTest(); // LEDs have no reply: the next command must still pair up
    expect(emu.led).toBe('green');
    expect(emu.commands.slice(0, 2)).toEqual([0x61, 0x65]);
  });
  it('coercivity set and read back, upper- and lower-case replies', async () => {
    for (const lowerCaseCoercivity of [false, true]) {
      const { emu, msr } = setup({ lowerCaseCoercivity });
      await msr.setCoercivity('lo');
      expect(emu.writeMode).toBe('lo');
      expect(await msr.getCoercivity()).toBe('lo');
      await msr.setCoercivity('hi');
      expect(await msr.getCoercivity()).toBe('hi');
    }
  });
  it('BPC, BPI, leading zeros', async () => {
    const { emu, msr } = setup();
    await msr.setBpc([7, 5, 5]);
    expect(emu.bpc).toEqual([7, 5, 5]);
    await msr.setBpi(2, 210);
    expect(emu.bpi[1]).toBe(210);
    expect(await msr.getLeadingZeros()).toEqual({ track13: 61, track2: 22 }); // manual defaults 3D, 16
    await msr.setLeadingZeros(10, 12);
    expect(await msr.getLeadingZeros()).toEqual({ track13: 10, track2: 12 });
  });
});

describe('writeCard / readCard (spec section 4 on the stripe)', () => {
  it('writes the spec example holder, verifies, and the stripe bits decode to the spec tracks', async () => {
    const { emu, msr } = setup({}, 1);
    emu.autoSwipe = {};
    const back = await msr.writeCard(holder, { coercivity: 'hi' });
    expect(back.track1).toBe(enc.expect.track1);
    expect(back.track2).toBe(enc.expect.track2);
    expect(back.fields1).toEqual(fields1);
    expect(back.fields2).toEqual(fields2);
    // What is physically on the emulated stripe, through the spec's bit decoder:
    expect(decodeTrackBits(1, emu.card!.tracks[0])).toBe(enc.expect.track1);
    expect(decodeTrackBits(2, emu.card!.tracks[1])).toBe(enc.expect.track2);
  });
  it('a Lo-Co write does not take on a Hi-Co card: VERIFY_FAILED', async () => {
    const { emu, msr } = setup();
    emu.card = { tracks: ['', '', ''], coercivity: 'hi' };
    emu.autoSwipe = {};
    expect(await code(msr.writeCard(holder, { coercivity: 'lo' }))).toBe('VERIFY_FAILED');
    expect(await code(msr.writeCard(holder, { coercivity: 'hi' }))).toBe('no error');
  });
  it('reads a card swiped backwards in ISO mode (the head decodes both ways)', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    await msr.writeCard(holder);
    emu.autoSwipe = { reverse: true };
    expect((await msr.readCard()).fields2).toEqual(fields2);
  });
});

describe('status bytes (manual section 7)', () => {
  it('0x31: a read that fails every track', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = { bad: true };
    const e = await msr.readCard().catch((x) => x);
    expect(e).toBeInstanceOf(MsrError);
    expect([e.code, e.status]).toEqual(['READ_WRITE_ERROR', 0x31]);
  });
  it('0x32: a character outside the track set in an ISO write', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    expect(await code(msr.writeIso({ 1: '%abc?' }))).toBe('COMMAND_FORMAT');
  });
  it('0x34: a command the unit lacks', async () => {
    const { msr } = setup({ unsupported: [0x64] });
    expect(await code(msr.getCoercivity())).toBe('INVALID_COMMAND');
    await msr.communicationTest();
  });
  it('0x39: a bad swipe in write mode', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = { bad: true };
    const e = await msr.writeCard(holder).catch((x) => x);
    expect([e.code, e.status, e.retrySwipe]).toEqual(['BAD_SWIPE', 0x39, true]);
  });
  it('ESC A: a refused erase', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    emu.forceStatus = 0x41;
    expect(await code(msr.erase([1, 2]))).toBe('FAILED');
  });
  it('erase clears the selected tracks', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    await msr.writeCard(holder);
    await msr.erase([1]);
    expect(emu.card!.tracks[0]).toBe('');
    expect(emu.card!.tracks[1]).not.toBe('');
  });
});

describe('swipe that never comes', () => {
  it('ends in TIMEOUT, resets the device, and the next command works', async () => {
    const { emu, msr } = setup();
    expect(await code(msr.readCard({ timeoutMs: 100 }))).toBe('TIMEOUT');
    expect(emu.commands.at(-1)).toBe(0x61); // ESC a sent
    expect(emu.waitingForSwipe).toBe(false);
    await msr.communicationTest();
  });
  it('is cancelled by an AbortSignal', async () => {
    const { emu, msr } = setup();
    const ac = new AbortController();
    const p = msr.writeCard(holder, { signal: ac.signal });
    await emu.whenWaiting();
    ac.abort();
    expect(await code(p)).toBe('CANCELLED');
    expect(emu.waitingForSwipe).toBe(false);
    expect(await code(msr.readIso({ signal: ac.signal }))).toBe('CANCELLED');
  });
  it('a device that never answers: TIMEOUT on a plain command', async () => {
    const { emu, msr } = setup();
    emu.silent = true;
    expect(await code(msr.communicationTest({ timeoutMs: 50 }))).toBe('TIMEOUT');
  });
});

describe('raw mode (manual sections 7, 9)', () => {
  it("the manual's raw write bytes make a card whose ISO read is %ABC123? / ;12345?", async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    await msr.setBpc([8, 8, 8]);
    await msr.writeRaw({ 1: fromHex('C5B07814954E3E2A'), 2: fromHex('2B8849EAAF'), 3: fromHex('2B8849EAAF') });
    const r = await msr.readIso();
    expect(r.tracks.map((t) => t.data)).toEqual(['%ABC123?', ';12345?', ';12345?']);
  });
  it('writeCardRaw, then readCardRaw forward and backwards give the spec fields', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    await msr.writeCardRaw(holder);
    for (const reverse of [false, true]) {
      emu.autoSwipe = { reverse };
      const r = await msr.readCardRaw();
      expect(r.track2).toBe(enc.expect.track2);
      expect(r.fields1).toEqual(fields1);
      expect(r.fields2).toEqual(fields2);
    }
  });
});

describe('line faults (in-memory link fault injection)', () => {
  it('a corrupted byte in the read reply surfaces as the spec error of the track decoder', async () => {
    const { emu, msr } = setup();
    emu.autoSwipe = {};
    await msr.writeCard(holder);
    // Reply: 1B 73 1B 01 '%' 'H' 'B' then the org number: byte 7 is its first digit, '9' -> '8' (XOR 1).
    const [host2, dev2] = MemorySerialLink.pair();
    const emu2 = new Msr605Emulator();
    emu2.card = emu.card;
    emu2.attach(dev2);
    emu2.autoSwipe = {};
    const msr2 = new MsrStripeEncoder(host2, { swipeTimeoutMs: 2000 });
    dev2.faults.corrupt = { offset: 7, xor: 0x01 };
    const e = await msr2.readCard().catch((x) => x);
    expect(e.code).toBe('BAD_CHECK_DIGIT');
    msr2.dispose();
  });
  it('a cable pulled mid-reply ends in TIMEOUT', async () => {
    const [host, dev] = MemorySerialLink.pair();
    const emu = new Msr605Emulator();
    emu.attach(dev);
    emu.autoSwipe = {};
    dev.faults.cutAfter = 10;
    const msr = new MsrStripeEncoder(host, { swipeTimeoutMs: 150 });
    expect((await msr.readIso().catch((x) => x)).code).toBe('TIMEOUT');
    msr.dispose();
  });
});
