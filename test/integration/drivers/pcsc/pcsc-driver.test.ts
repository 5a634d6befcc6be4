/**
 * The PC/SC driver (src/drivers/pcsc/) against an in-memory stand-in for nfc-pcsc whose reader
 * answers APDUs with the vpcd reader logic over the virtual MIFARE Classic 1K: the APDU bytes of
 * PC/SC Part 3 section 3.2.2.1 (written out by hand below), status words to CardError codes, the
 * key loaded once per card, events and errors reaching the caller, and nfc-pcsc's quirks
 * (`this.emit(err)`, ISO 14443-4 cards). Runs everywhere; the real stack is pcsc-integration.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPcscReader } from '../../../../src/drivers/pcsc/reader.js';
import { transmitError } from '../../../../src/drivers/pcsc/apdus.js';
import { classifyAtr } from '../../../../src/drivers/pcsc/atr.js';
import type { NfcPcsc, NfcPcscReader } from '../../../../src/drivers/pcsc/nfcPcsc.js';
import { answerApdu, newReaderKeys } from '../../../../src/drivers/vpcd/apdu.js';
import { MIFARE_CLASSIC_1K_ATR } from '../../../../src/drivers/vpcd/client.js';
import { VirtualMifareClassic1K } from '../../../../src/testing/virtualCard.js';
import { CardError } from '../../../../src/transport/card.js';
import { fromHex as bytes, toHex as hex } from '../../../helpers/hex.js';

const FF6 = new Uint8Array(6).fill(0xff);
const MAD = bytes('a0a1a2a3a4a5');

class FakeReader extends EventEmitter {
  autoProcessing = true;
  /** The pcsclite CardReader underneath: connect/disconnect as nfcPcscBinding's reconnect() uses them. */
  readonly reader: Record<string, unknown>;
  readonly sent: string[] = [];
  readonly dispositions: number[] = [];
  shareModes: number[] = [];
  card: VirtualMifareClassic1K | undefined;
  keys = newReaderKeys();
  constructor(readonly name = 'ACS ACR122U PICC Interface 00 00') {
    super();
    // pcsclite.h: SCARD_SHARE_EXCLUSIVE 1, SHARED 2; SCARD_LEAVE_CARD 0, SCARD_RESET_CARD 1.
    this.reader = {
      name,
      connected: true,
      SCARD_SHARE_EXCLUSIVE: 1,
      SCARD_SHARE_SHARED: 2,
      SCARD_LEAVE_CARD: 0,
      SCARD_RESET_CARD: 1,
      disconnect: (d: number, cb: (e: Error | null) => void) => {
        this.dispositions.push(d);
        this.reader.connected = false;
        if (d === 1) this.card?.reinsert(); // vpcd: reset -> power reset of the card
        setImmediate(() => cb(null));
      },
      connect: (o: { share_mode: number }, cb: (e: Error | null, p?: number) => void) => {
        if (!this.card) return setImmediate(() => cb(new Error('SCardConnect error: No smart card inserted.(0x8010000C)')));
        this.shareModes.push(o.share_mode);
        this.reader.connected = true;
        setImmediate(() => cb(null, 2));
      },
    };
  }
  async transmit(data: Buffer): Promise<Buffer> {
    this.sent.push(hex(data));
    if (!this.card) throw Object.assign(new Error('An error occurred while transmitting.'), { previous: new Error('SCardTransmit error: Card was removed.(0x80100069)') });
    return Buffer.from(await answerApdu(this.card, this.keys, data));
  }
  insert(card: VirtualMifareClassic1K, atr: Uint8Array = MIFARE_CLASSIC_1K_ATR) {
    this.card = card;
    this.keys = newReaderKeys();
    this.emit('card', { atr: Buffer.from(atr) });
  }
  pull() {
    this.card = undefined;
    this.emit('card.off', {});
  }
  authenticate = async () => true;
  read = async () => Buffer.alloc(16);
  /** True while an event comes from pcsclite's native status callback (which holds the reader's mutex). */
  private inNative = false;
  closes = 0;
  closedInsideNative = 0;
  /** Emits as @pokusew/pcsclite's CardReader::HandleReaderStatusChange does: with the reader's mutex held. */
  emitFromNative(event: string, ...args: unknown[]) {
    this.inNative = true;
    try {
      this.emit(event, ...args);
    } finally {
      this.inNative = false;
    }
  }
  close() {
    // The native CardReader::Close locks the same non-recursive mutex: called here, it never returns.
    if (this.inNative) this.closedInsideNative++;
    this.closes++;
  }
}

class FakeNfc extends EventEmitter {
  closed = false;
  close() {
    this.closed = true;
  }
}

let server: Server;
let socketPath: string;
beforeAll(async () => {
  socketPath = join(mkdtempSync(join(tmpdir(), 'hmskort-pcscd-')), 'pcscd.comm');
  server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(socketPath, r));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function setup() {
  const nfcs: FakeNfc[] = [];
  const reader = await createPcscReader({ socketPath, recoverMs: 10, createNfc: async () => (nfcs.push(new FakeNfc()), nfcs[nfcs.length - 1] as unknown as NfcPcsc) });
  await reader.start();
  const fake = new FakeReader();
  nfcs[0].emit('reader', fake as unknown as NfcPcscReader);
  return { reader, fake, nfcs };
}

describe('APDUs and key slots (PC/SC Part 3 3.2.2.1)', () => {
  it('detects with Get UID, then loads a key once and names it by slot', async () => {
    const { reader, fake } = await setup();
    expect(fake.autoProcessing).toBe(false);
    fake.insert(new VirtualMifareClassic1K('04a1b2c3'));
    const card = await reader.waitForCard({ timeoutMs: 1000 });
    expect(hex(card.uid)).toBe('04a1b2c3');
    expect(fake.sent).toEqual(['ffca000000']);
    await card.authenticate(4, 'A', FF6);
    await card.readBlock(4);
    await card.authenticate(8, 'A', FF6);
    await card.writeBlock(9, new Uint8Array(16).fill(0x11));
    await card.authenticate(12, 'B', FF6);
    await card.authenticate(0, 'A', MAD).catch(() => undefined); // wrong key for a blank card
    expect(fake.sent.slice(1)).toEqual([
      'ff82000006ffffffffffff', // Load Keys: volatile (P1 00), slot 0, Lc 06
      'ff860000050100046000', //   General Authenticate: version 01, 00, block 04, key A (60), slot 00
      'ffb0000410', //             Read Binary block 4, Le 16
      'ff860000050100086000', //   same key still in slot 0: no second load
      'ffd6000910' + '11'.repeat(16), // Update Binary block 9, Lc 16, data
      'ff8600000501000c6100', //   key B is 61, block 12 = 0C
      'ff82000106a0a1a2a3a4a5', // a second key goes to slot 1
      'ff860000050100006001',
    ]);
    await reader.close();
  });

  it('maps status words to CardError codes carrying the sw', async () => {
    const { reader, fake } = await setup();
    fake.insert(new VirtualMifareClassic1K('04a1b2c3'));
    const card = await reader.waitForCard();
    const err = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as CardError);
    expect(await err(card.authenticate(4, 'A', MAD))).toMatchObject({ code: 'AUTH_FAILED', sw: 0x6300, block: 4 });
    // The chip is silent after the failure: the driver re-activates it first; then the read of an
    // unauthenticated sector, which an ACS reader answers 63 00 like every failure (ACR122U API 5.3).
    expect(await err(card.readBlock(4))).toMatchObject({ code: 'NOT_AUTHENTICATED', sw: 0x6300 });
    await card.authenticate(0, 'A', FF6);
    expect(await err(card.writeBlock(0, new Uint8Array(16)))).toMatchObject({ code: 'ACCESS_DENIED', sw: 0x6300 }); // block 0 read-only
    const n = fake.sent.length;
    expect(await err(card.readBlock(64))).toMatchObject({ code: 'BAD_BLOCK', message: expect.stringMatching(/64 blocks/) }); // a 1K by its ATR: not sent
    expect(fake.sent.length).toBe(n);
    await reader.close();
  });

  it('transmitError table (status words: test/unit/drivers/pcsc/profiles/pcsc-profiles.test.ts)', () => {
    expect(transmitError('read', new Error('SCardTransmit error: Card was removed.(0x80100069)')).code).toBe('CARD_REMOVED');
    expect(transmitError('read', Object.assign(new Error('x'), { code: 'card_not_connected' })).code).toBe('CARD_REMOVED');
    expect(transmitError('read', new Error('SCardTransmit error: Service not available.(0x8010001D)')).message).toMatch(/pcscd is gone/);
  });
});

describe('events and errors reach the caller', () => {
  it('a connect error emitted as an event name (nfc-pcsc Reader.js) arrives as CardError on "error"', async () => {
    const { reader, fake } = await setup();
    const errors: Error[] = [];
    reader.on('error', (e) => errors.push(e));
    const connectError = Object.assign(new Error('An error occurred while connecting.'), { name: 'ConnectError' });
    (fake.emit as (e: unknown) => boolean)(connectError);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CardError);
    expect((errors[0] as Error & { cause?: unknown }).cause).toBe(connectError);
    await reader.close();
  });

  it('an error with no listener rejects the pending waitForCard, once', async () => {
    const { reader, fake } = await setup();
    const waiting = reader.waitForCard();
    (fake.emit as (e: unknown) => boolean)(new Error('connect failed'));
    await expect(waiting).rejects.toBeInstanceOf(CardError);
    fake.insert(new VirtualMifareClassic1K());
    await expect(reader.waitForCard()).resolves.toBeDefined();
    await reader.close();
  });

  it('an ISO 14443-4 card and an Ultralight are NOT_SUPPORTED, named', async () => {
    const { reader, fake } = await setup();
    // 3B 81 80 01 80 80: a DESFire's ATR through an ACR122U (historical byte 80 = its ATS).
    const w1 = reader.waitForCard();
    fake.insert(new VirtualMifareClassic1K(), bytes('3b8180018080'));
    await expect(w1).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/ISO 14443-4/) });
    const w2 = reader.waitForCard();
    fake.insert(new VirtualMifareClassic1K(), bytes('3b8f8001804f0ca0000003060300030000000068'));
    await expect(w2).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/Ultralight/) });
    expect(classifyAtr(MIFARE_CLASSIC_1K_ATR)).toEqual({ kind: 'mifare-classic', name: 'MIFARE Classic 1K' });
    await reader.close();
  });

  it('a removed card object never talks to the next card', async () => {
    const { reader, fake } = await setup();
    const removed: string[] = [];
    reader.on('removed', (uid) => removed.push(hex(uid)));
    fake.insert(new VirtualMifareClassic1K('04a1b2c3'));
    const first = await reader.waitForCard();
    fake.pull();
    fake.insert(new VirtualMifareClassic1K('04d1d2d3'));
    const second = await reader.waitForCard();
    expect(removed).toEqual(['04a1b2c3']);
    const n = fake.sent.length;
    await expect(first.authenticate(4, 'A', FF6)).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect(fake.sent.length).toBe(n);
    await second.authenticate(4, 'A', FF6);
    await reader.close();
  });

  it('reader detach and pcscd loss: typed error, then recovery with a new nfc-pcsc', async () => {
    const { reader, fake, nfcs } = await setup();
    const events: string[] = [];
    reader.on('attached', (n) => events.push(`attached ${n}`));
    reader.on('detached', (n) => events.push(`detached ${n}`));
    reader.on('removed', () => events.push('removed'));
    fake.insert(new VirtualMifareClassic1K());
    await reader.waitForCard();
    const lost = reader.waitForCard().catch(() => undefined); // resolves now: card is present
    await lost;
    const err = new Promise<Error>((r) => reader.once('error', r));
    nfcs[0].emit('error', new Error('SCardGetStatusChange error: Service not available.(0x8010001D)'));
    expect(await err).toMatchObject({ code: 'IO', message: expect.stringMatching(/lost pcscd/) });
    await new Promise((r) => setImmediate(r)); // native closes run after the event (see teardown)
    expect(nfcs[0].closed).toBe(true);
    for (let i = 0; i < 100 && nfcs.length < 2; i++) await new Promise((r) => setTimeout(r, 5));
    const again = new FakeReader();
    nfcs[1].emit('reader', again as unknown as NfcPcscReader);
    again.insert(new VirtualMifareClassic1K('04e1e2e3'));
    expect(hex((await reader.waitForCard()).uid)).toBe('04e1e2e3');
    expect(events).toEqual(['removed', `detached ${fake.name}`, `attached ${again.name}`]);
    await reader.close();
  });

  // pcsclite holds the reader's mutex while it emits 'error'/'status'/'_end'; CardReader::Close
  // takes the same mutex. A close() reached from inside such an event would hang the process (a
  // CI run hung there: gdb showed the main thread in CardReader::Close -> uv_mutex_lock).
  it('pcscd lost, reported by the reader\'s native status callback: the reader is closed after the callback, not inside it', async () => {
    const { reader, fake } = await setup();
    const err = new Promise<Error>((r) => reader.once('error', r));
    fake.emitFromNative('error', new Error('SCardGetStatusChange error: Service not available.(0x8010001D)'));
    expect(fake.closedInsideNative).toBe(0);
    expect(await err).toMatchObject({ code: 'IO', message: expect.stringMatching(/lost pcscd/) });
    await new Promise((r) => setImmediate(r));
    expect(fake.closes).toBe(1);
    expect(fake.closedInsideNative).toBe(0);
    await reader.close();
    expect(fake.closes).toBe(1);
  });

  it('a user closing the driver from its own error listener, inside the native callback, does not close the native reader there', async () => {
    const { reader, fake } = await setup();
    let closed: Promise<void> | undefined;
    reader.on('error', () => (closed = reader.close()));
    fake.emitFromNative('error', new Error('SCardGetStatusChange error: Unknown error.(0x80100014)'));
    expect(closed).toBeDefined();
    expect(fake.closedInsideNative).toBe(0);
    await closed;
    expect(fake.closes).toBe(1);
    expect(fake.closedInsideNative).toBe(0);
  });
});
