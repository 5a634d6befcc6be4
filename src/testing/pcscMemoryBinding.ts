/**
 * An in-memory PcscBinding (src/drivers/pcsc/binding.ts) for tests of code that uses the PC/SC
 * driver, as serialport's binding-mock is for serialport: readers are plugged and unplugged, cards
 * presented and removed, pcscd stopped and started, all in-process. Card commands are answered by
 * the emulated contactless reader of src/drivers/vpcd/apdu.ts over a VirtualMifareClassic1K (or
 * any ApduCard), exactly as the vpcd path answers them through pcscd.
 *
 *   const binding = new MemoryPcscBinding();
 *   const reader = await openPcscReader({ binding });
 *   binding.present(new VirtualMifareClassic1K('04a1b2c3'));
 *   const card = await reader.waitForCard();
 *
 * The reader answers as the firmware of one family does (src/drivers/vpcd/profiles.ts: acs,
 * identiv, omnikey; default acs). A reset (reconnect with reset) re-activates the card
 * (MifareClassicCard.reactivate) and clears the reader's volatile keys, as vpcd's power messages
 * do through pcscd (src/drivers/vpcd/client.ts).
 */
import type { BindingContext, BindingContextEvents, BindingReader, BindingReaderEvents, PcscBinding, ShareMode } from '../drivers/pcsc/binding.js';
import { answerApdu, clearVolatileKeys, newReaderKeys, type ApduCard, type ReaderKeys } from '../drivers/vpcd/apdu.js';
import { firmwareProfile, type EmulatedFamily } from '../drivers/vpcd/profiles.js';
import { MIFARE_CLASSIC_1K_ATR } from '../drivers/vpcd/client.js';
import { CardError } from '../transport/card.js';
import { needOptions } from '../codec/guard.js';

/** A card as the memory binding needs it: the block interface plus re-activation. */
export interface MemoryPcscCard extends ApduCard {
  reactivate(): Promise<void>;
}

/** Answers one APDU for a card; default: the vpcd emulated reader (src/drivers/vpcd/apdu.ts). */
export type MemoryApduAnswer = (card: ApduCard, keys: ReaderKeys, apdu: Uint8Array) => Promise<Uint8Array>;

export interface MemoryPcscCounters {
  opens: number;
  openContexts: number;
  apdus: number;
  resets: number;
  reconnects: number;
}

const SERVICE_GONE = 'SCardGetStatusChange error: Service not available.(0x8010001D)';
const REMOVED = 'SCardTransmit error: Card was removed.(0x80100069)';

class MemoryReader implements BindingReader {
  events: BindingReaderEvents | undefined;
  card: MemoryPcscCard | undefined;
  atr: Uint8Array = MIFARE_CLASSIC_1K_ATR;
  keys: ReaderKeys = newReaderKeys();
  share: ShareMode | undefined;
  readonly sent: string[] = [];
  constructor(
    readonly name: string,
    private readonly owner: MemoryPcscBinding,
  ) {}
  listen(events: BindingReaderEvents): void {
    this.events = events;
    if (this.card) queueMicrotask(() => this.events?.card(this.atr));
  }
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.owner.counters.apdus++;
    this.sent.push(Buffer.from(apdu).toString('hex'));
    if (!this.card) throw new Error(REMOVED);
    return this.owner.answer(this.card, this.keys, apdu);
  }
  async reconnect({ reset, share }: { reset: boolean; share: ShareMode }): Promise<void> {
    this.owner.counters.reconnects++;
    if (!this.card) throw new Error('SCardConnect error: No smart card inserted.(0x8010000C)');
    if (reset) {
      this.owner.counters.resets++;
      await this.card.reactivate();
      clearVolatileKeys(this.keys);
    }
    this.share = share;
  }
}

export class MemoryPcscBinding implements PcscBinding {
  readonly describe = 'the in-memory PC/SC binding';
  readonly counters: MemoryPcscCounters = { opens: 0, openContexts: 0, apdus: 0, resets: 0, reconnects: 0 };
  private readonly readers: MemoryReader[] = [];
  private readonly contexts = new Set<BindingContextEvents>();
  private running = true;
  /** @internal */
  readonly answer: MemoryApduAnswer;

  constructor(opts: { readers?: string[]; family?: EmulatedFamily; answer?: MemoryApduAnswer } = {}) {
    needOptions('MemoryPcscBinding', 'opts', opts);
    const firmware = firmwareProfile(opts.family ?? 'acs');
    this.answer = opts.answer ?? ((card, keys, apdu) => answerApdu(card, keys, apdu, firmware));
    for (const n of opts.readers ?? ['hmskort Memory PCD 00 00']) this.readers.push(new MemoryReader(n, this));
  }

  async open(events: BindingContextEvents): Promise<BindingContext> {
    this.counters.opens++;
    if (!this.running) throw new CardError('IO', 'pcscd is not running (the in-memory binding was stopped)');
    this.contexts.add(events);
    this.counters.openContexts++;
    // pcsclite announces the readers after SCardEstablishContext, on a later turn.
    const announce = [...this.readers];
    setImmediate(() => {
      if (this.contexts.has(events)) for (const r of announce) events.reader(r);
    });
    return {
      readerNames: () => this.readers.map((r) => r.name),
      close: async () => {
        if (this.contexts.delete(events)) this.counters.openContexts--;
      },
    };
  }

  /** The reader called `name` (default: the first). */
  reader(name?: string): MemoryReader {
    const r = name === undefined ? this.readers[0] : this.readers.find((x) => x.name === name);
    if (!r) throw new Error(`no memory reader "${name}"`);
    return r;
  }

  /** APDUs sent to a reader, as hex. */
  sent(name?: string): string[] {
    return this.reader(name).sent;
  }

  /** Puts a card into a reader's field (the one there leaves first). */
  present(card: MemoryPcscCard, opts: { reader?: string; atr?: Uint8Array } = {}): void {
    const r = this.reader(opts.reader);
    if (r.card) this.remove(opts.reader);
    (card as { reinsert?: () => void }).reinsert?.();
    r.card = card;
    r.atr = opts.atr ?? MIFARE_CLASSIC_1K_ATR;
    r.share = 'shared';
    r.events?.card(r.atr);
  }

  /** Takes the card out of a reader's field. */
  remove(reader?: string): void {
    const r = this.reader(reader);
    if (!r.card) return;
    r.card = undefined;
    r.share = undefined;
    r.events?.cardOff();
  }

  /** Plugs in another reader (announced to every open context). */
  plug(name: string): void {
    const r = new MemoryReader(name, this);
    this.readers.push(r);
    for (const c of this.contexts) c.reader(r);
  }

  /** Unplugs a reader. */
  unplug(name: string): void {
    const r = this.reader(name);
    this.readers.splice(this.readers.indexOf(r), 1);
    r.events?.end();
  }

  /** pcscd stops: every open context gets the service error; open() fails until start(). */
  stopService(): void {
    this.running = false;
    for (const c of [...this.contexts]) c.error(new Error(SERVICE_GONE));
  }

  /** pcscd is back. */
  startService(): void {
    this.running = true;
  }
}
