/**
 * Recovery in the PC/SC driver (issue 13 item 3), in memory: the state machines of
 * src/drivers/pcsc/recovery.ts, and the reader core over the in-memory binding of hmskort/testing
 * with the virtual card, which goes silent after a failure as the chip does (NXP AN1304: after a failed authentication, and
 * after any refused command, a MIFARE Classic answers nothing until it is re-activated and
 * selected again; MF1S50 datasheet 9.1). The real pcscd stack: pcsc-integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { openPcscReader } from '../../../../src/drivers/pcsc/reader.js';
import { CARD_TRANSITIONS, SERVICE_TRANSITIONS, StateMachine, nextState } from '../../../../src/drivers/pcsc/recovery.js';
import type { PcscMifareCard } from '../../../../src/drivers/pcsc/card.js';
import { MemoryPcscBinding } from '../../../../src/testing/pcscMemoryBinding.js';
import { answerApdu } from '../../../../src/drivers/vpcd/apdu.js';
import { firmwareProfile } from '../../../../src/drivers/vpcd/profiles.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { CardError } from '../../../../src/transport/card.js';
import { fromHex as bytes, toHex as hex } from '../../../helpers/hex.js';

const FF6 = bytes('ffffffffffff');
const WRONG = bytes('a0a1a2a3a4a5');

async function setup(opts: { autoReactivate?: boolean; exclusive?: boolean; uid?: string } = {}) {
  const binding = new MemoryPcscBinding({ readers: ['ACS ACR122U PICC Interface 00 00'] });
  const reader = await openPcscReader({ binding, ...opts });
  // The virtual card's default: silent after a failure until re-activated (virtualCard.ts).
  const chip = new VirtualMifareClassic1K(opts.uid ?? '04a1b2c3');
  const removed: string[] = [];
  reader.on('removed', (u) => removed.push(hex(u)));
  binding.present(chip);
  const card = (await reader.waitForCard({ timeoutMs: 1000 })) as PcscMifareCard;
  return { binding, reader, chip, card, removed };
}

describe('state machines (recovery.ts)', () => {
  it('service: INIT, CONNECTING, ONLINE, OFFLINE, back ONLINE; CLOSED absorbs everything', () => {
    const m = new StateMachine(SERVICE_TRANSITIONS, 'INIT');
    for (const e of ['start', 'opened', 'lost', 'retry', 'failed', 'retry', 'opened'] as const) expect(m.fire(e), e).toBe(true);
    expect(m.state).toBe('ONLINE');
    expect(m.fire('close')).toBe(true);
    for (const e of ['start', 'opened', 'lost', 'retry', 'failed', 'close'] as const) expect(nextState(SERVICE_TRANSITIONS, 'CLOSED', e)).toBeUndefined();
    expect(nextState(SERVICE_TRANSITIONS, 'ONLINE', 'opened')).toBeUndefined();
  });
  it('card: a failure silences, only a reset leads back to READY; a changed UID is final', () => {
    const m = new StateMachine(CARD_TRANSITIONS, 'DETECTING');
    for (const e of ['detected', 'failure', 'failure', 'reset', 'reactivated'] as const) expect(m.fire(e), e).toBe(true);
    expect(m.state).toBe('READY');
    expect(nextState(CARD_TRANSITIONS, 'SILENT', 'reactivated')).toBeUndefined();
    expect(nextState(CARD_TRANSITIONS, 'RESETTING', 'uid-changed')).toBe('UID_CHANGED');
    expect(nextState(CARD_TRANSITIONS, 'UID_CHANGED', 'reset')).toBeUndefined();
    expect(nextState(CARD_TRANSITIONS, 'GONE', 'detected')).toBeUndefined();
  });
});

describe('re-activation after a failure (in memory, silent-after-failure card)', () => {
  it('a wrong key, then the right one: the driver resets, reads the UID again and reloads the key', async () => {
    const { binding, reader, card, removed } = await setup();
    await expect(card.authenticate(4, 'B', WRONG)).rejects.toMatchObject({ code: 'AUTH_FAILED', sw: 0x6300 });
    expect(card.state).toBe('SILENT');
    const before = binding.sent().length;
    await card.authenticate(4, 'A', FF6);
    expect(binding.sent().slice(before)).toEqual(['ffca000000', 'ff82000006ffffffffffff', 'ff860000050100046000']);
    expect(binding.counters.resets).toBe(1);
    expect(card.counters).toMatchObject({ reactivations: 1, authentications: 2, failedAuthentications: 1 });
    expect(card.machine.history).toEqual(['DETECTING -detected-> READY', 'READY -failure-> SILENT', 'SILENT -reset-> RESETTING', 'RESETTING -reactivated-> READY']);
    expect(hex(await card.readBlock(4))).toBe('00'.repeat(16));
    expect(removed).toEqual([]);
    await reader.close();
  });

  it('a refused write silences too: the next command re-activates first', async () => {
    const { binding, reader, card } = await setup();
    await card.authenticate(0, 'A', FF6);
    await expect(card.writeBlock(0, new Uint8Array(16))).rejects.toMatchObject({ code: 'ACCESS_DENIED' }); // block 0 is read-only
    await card.authenticate(4, 'A', FF6);
    expect(binding.counters.resets).toBe(1);
    await reader.close();
  });

  it('without auto re-activation, later failures say CARD_SILENT, never a wrong key; reactivate() recovers', async () => {
    const { binding, reader, card } = await setup({ autoReactivate: false });
    await expect(card.authenticate(4, 'B', WRONG)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(card.authenticate(4, 'A', FF6)).rejects.toMatchObject({ code: 'CARD_SILENT', sw: 0x6300 });
    await expect(card.readBlock(4)).rejects.toMatchObject({ code: 'CARD_SILENT' });
    expect(binding.counters.resets).toBe(0);
    await card.reactivate();
    await card.authenticate(4, 'A', FF6);
    expect(card.counters.reactivations).toBe(1);
    await reader.close();
  });

  it('another UID after the reset is UID_CHANGED, and the card object stays dead', async () => {
    const { binding, reader, card } = await setup();
    await expect(card.authenticate(4, 'B', WRONG)).rejects.toBeInstanceOf(CardError);
    // The card was swapped (or is a random-ID card) between the failure and the reset.
    const other = new VirtualMifareClassic1K('04d1d2d3');
    binding.reader().card = other;
    await expect(card.authenticate(4, 'A', FF6)).rejects.toMatchObject({ code: 'UID_CHANGED' });
    await expect(card.readBlock(4)).rejects.toMatchObject({ code: 'UID_CHANGED' });
    expect(card.state).toBe('UID_CHANGED');
    await reader.close();
  });

  it("the card-off / card-on of our own reset is not a removal; a card-off without card-on is", async () => {
    const { binding, reader, card, removed } = await setup();
    const r = binding.reader();
    const plain = r.reconnect.bind(r);
    r.reconnect = async (o) => {
      r.events?.cardOff(); // what a reader may report for SCARD_RESET_CARD
      await plain(o);
      r.events?.card(r.atr);
    };
    await expect(card.authenticate(4, 'B', WRONG)).rejects.toBeInstanceOf(CardError);
    await card.authenticate(4, 'A', FF6);
    expect(removed).toEqual([]);
    expect(reader.card).toBe(card);
    r.reconnect = async (o) => {
      await plain(o);
      r.events?.cardOff(); // the card really left right after the reset
    };
    await card.reactivate();
    await new Promise((res) => setTimeout(res, 1100));
    expect(removed).toEqual(['04a1b2c3']);
    await reader.close();
  });

  it('exclusive mode: the card is held with SCARD_SHARE_EXCLUSIVE from detection and after every reset', async () => {
    const { binding, reader, card } = await setup({ exclusive: true });
    expect(binding.reader().share).toBe('exclusive');
    await expect(card.authenticate(4, 'B', WRONG)).rejects.toBeInstanceOf(CardError);
    await card.authenticate(4, 'A', FF6);
    expect(binding.reader().share).toBe('exclusive');
    await reader.close();
  });
});

describe('the service and the reader name', () => {
  it('a reader name that matches nothing fails within the wait, listing the readers pcscd has', async () => {
    const binding = new MemoryPcscBinding({ readers: ['ACS ACR122U PICC Interface 00 00', 'Virtual PCD 00 00'] });
    const t0 = Date.now();
    await expect(openPcscReader({ binding, name: 'NoSuchReader', readerWaitMs: 200 })).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/no PC\/SC reader matches "NoSuchReader".*"ACS ACR122U PICC Interface 00 00", "Virtual PCD 00 00"/),
    });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(binding.counters.openContexts).toBe(0);
  });

  it('close() while re-opening after pcscd was lost leaves no context open', async () => {
    const binding = new MemoryPcscBinding();
    let release!: () => void;
    const reader = await openPcscReader({ binding, recoverMs: 5 });
    reader.on('error', () => {});
    const open = binding.open.bind(binding);
    binding.open = async (ev) => {
      await new Promise<void>((r) => (release = r)); // pcscd answers slowly
      return open(ev);
    };
    binding.stopService();
    binding.startService();
    for (let i = 0; i < 100 && !release; i++) await new Promise((r) => setTimeout(r, 5));
    expect(reader.service.state).toBe('CONNECTING');
    await reader.close();
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(reader.service.state).toBe('CLOSED');
    expect(binding.counters.openContexts).toBe(0);
  });

  it('pcscd lost and back: OFFLINE, then ONLINE with the card served again', async () => {
    const binding = new MemoryPcscBinding();
    const reader = await openPcscReader({ binding, recoverMs: 5 });
    const errors: Error[] = [];
    reader.on('error', (e) => errors.push(e));
    binding.stopService();
    expect(reader.service.state).toBe('OFFLINE');
    await new Promise((r) => setTimeout(r, 30));
    binding.startService();
    binding.present(new VirtualMifareClassic1K('04e1e2e3'));
    expect(hex((await reader.waitForCard({ timeoutMs: 1000 })).uid)).toBe('04e1e2e3');
    expect(reader.service.state).toBe('ONLINE');
    expect(errors.map((e) => (e as CardError).code)).toEqual(['IO']);
    await reader.close();
    expect(binding.counters.openContexts).toBe(0);
  });
});

describe('detection when the first transmit is not transacted (pcscd still showing a card that left)', () => {
  const NOT_TRANSACTED = 'SCardTransmit error: Transaction failed.(0x80100016)';
  /** A binding whose first `failures` Get Data (FF CA) commands fail as pcsc-lite reports it. */
  function flaky(failures: number) {
    let left = failures;
    const binding = new MemoryPcscBinding({
      readers: ['ACS ACR122U PICC Interface 00 00'],
      answer: async (card, keys, apdu) => {
        if (apdu[1] === 0xca && left-- > 0) throw new Error(NOT_TRANSACTED);
        return answerApdu(card, keys, apdu, firmwareProfile('acs'));
      },
    });
    return binding;
  }

  it('two failures: detection is tried again and the card is served', async () => {
    const binding = flaky(2);
    const reader = await openPcscReader({ binding, resetEchoMs: 40 });
    binding.present(new VirtualMifareClassic1K('04a1b2c3'));
    const card = await reader.waitForCard({ timeoutMs: 2000 });
    expect(hex(card.uid)).toBe('04a1b2c3');
    await reader.close();
  });

  it('three failures: reported to the waiter as a typed IO error naming the command', async () => {
    const binding = flaky(3);
    const reader = await openPcscReader({ binding, resetEchoMs: 40 });
    binding.present(new VirtualMifareClassic1K('04a1b2c3'));
    await expect(reader.waitForCard({ timeoutMs: 2000 })).rejects.toMatchObject({ code: 'IO', message: expect.stringMatching(/get-uid/) });
    await reader.close();
  });

  it('any other failure is not retried: one Get Data, then the error', async () => {
    let getData = 0;
    const binding = new MemoryPcscBinding({
      readers: ['ACS ACR122U PICC Interface 00 00'],
      answer: async (card, keys, apdu) => {
        if (apdu[1] === 0xca) {
          getData++;
          throw new Error('SCardTransmit error: Transaction failed.(0x80100001)'); // SCARD_F_INTERNAL_ERROR
        }
        return answerApdu(card, keys, apdu, firmwareProfile('acs'));
      },
    });
    const reader = await openPcscReader({ binding, resetEchoMs: 40 });
    binding.present(new VirtualMifareClassic1K('04a1b2c3'));
    await expect(reader.waitForCard({ timeoutMs: 2000 })).rejects.toMatchObject({ code: 'IO' });
    expect(getData).toBe(1);
    await reader.close();
  });
});
