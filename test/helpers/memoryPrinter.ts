/**
 * A small in-memory CardPrinter for the printer batch's unit tests, written from the contract
 * (src/drivers/printer/types.ts) alone: a feeder of blank virtual cards, the contactless station
 * coupled to a VirtualCardReader (the chip answers only while the card is there), a stripe head
 * that keeps what it wrote, print and eject to the output tray, reject to the reject box. Faults:
 * a step that fails once with the printer's words, a jam that holds the card until cleared, and a
 * "kill" (the process dies before or after the printer acted) at the n-th printer call.
 * The real model of an Evolis is the emulator in src/testing/evolisEmulator/ (integration tests).
 */
import type { CardPrinter, CardPosition, MonoPanel, PrinterStatus, StripeData } from '../../src/drivers/printer/types.js';
import { VirtualCardReader } from '../../src/testing/virtualReader.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';

export type PrinterStep = 'status' | 'insert' | 'writeStripe' | 'readStripe' | 'print' | 'eject' | 'reject';

export class PrinterWordsError extends Error {
  override readonly name = 'PrinterError';
  constructor(
    readonly code: string,
    readonly reply: string,
  ) {
    super(`printer: ${reply}`);
  }
}

/** Thrown by a planned kill: the test treats it as the process dying at that point. */
export class Killed extends Error {}

export interface OutCard {
  uid: string;
  blocks: string[];
  stripe: StripeData;
  front?: MonoPanel;
  back?: MonoPanel;
}

export class MemoryPrinter implements CardPrinter {
  readonly reader = new VirtualCardReader('printer contactless encoder');
  feeder: VirtualMifareClassic1K[] = [];
  card: { chip: VirtualMifareClassic1K; position: CardPosition; stripe: StripeData; printed?: { front: MonoPanel; back?: MonoPanel } } | undefined;
  tray: OutCard[] = [];
  rejectBox: OutCard[] = [];
  jammed = false;
  /** The next stripe read-back has one digit changed (a weak write the head reads wrong). */
  garbleNextRead = false;
  calls = 0;
  /** Faults planned per step: the next call of that step answers with these words (once). */
  private faults = new Map<PrinterStep, { code: string; reply: string; jam?: boolean }>();
  /** Kill at printer call n (1-based): 'before' the printer acts, or 'after' it acted. */
  kill: { call: number; when: 'before' | 'after' } | undefined;

  constructor(blanks = 20, firstUid = 0xe0000001) {
    for (let i = 0; i < blanks; i++) this.feeder.push(new VirtualMifareClassic1K((firstUid + i).toString(16).padStart(8, '0')));
  }

  failNext(step: PrinterStep, code: string, reply: string, jam = false): void {
    this.faults.set(step, { code, reply, jam });
  }

  /** The operator opens the printer and takes the jammed card out (it goes to the reject pile). */
  clearJam(): void {
    this.jammed = false;
    if (this.card) this.rejectBox.push(this.out());
    this.leave();
  }

  private async step<T>(step: PrinterStep, act: () => T): Promise<T> {
    const n = ++this.calls;
    if (this.kill?.call === n && this.kill.when === 'before') throw new Killed(`killed before call ${n} (${step})`);
    // Status answers even when jammed: that is how the batch learns of it.
    if (this.jammed && step !== 'status') throw new PrinterWordsError('CARD_JAM', 'CARD JAM');
    const f = this.faults.get(step);
    if (f) {
      this.faults.delete(step);
      if (f.jam) this.jammed = true;
      throw new PrinterWordsError(f.code, f.reply);
    }
    const v = act();
    if (this.kill?.call === n && this.kill.when === 'after') throw new Killed(`killed after call ${n} (${step})`);
    return v;
  }

  private out(): OutCard {
    const c = this.card!;
    return { uid: Buffer.from(c.chip.uid).toString('hex'), blocks: c.chip.exportBlocks(), stripe: c.stripe, ...c.printed };
  }

  private leave(): void {
    if (this.card?.position === 'contactless') this.reader.remove();
    this.card = undefined;
  }

  private need(): NonNullable<MemoryPrinter['card']> {
    if (!this.card) throw new PrinterWordsError('NO_CARD', 'ERR CARD');
    return this.card;
  }

  status(): Promise<PrinterStatus> {
    return this.step('status', () => ({ model: 'memory', firmware: '0', position: this.card?.position ?? 'none', ...(this.jammed ? { condition: 'CARD JAM' } : {}) }));
  }

  insertToContactless(): Promise<void> {
    return this.step('insert', () => {
      if (this.card) throw new PrinterWordsError('CARD_INSIDE', 'ERR CARD');
      const chip = this.feeder.shift();
      if (!chip) throw new PrinterWordsError('FEEDER_EMPTY', 'FEEDER EMPTY');
      this.card = { chip, position: 'contactless', stripe: {} };
      this.reader.present(chip);
    });
  }

  writeStripe(data: StripeData): Promise<void> {
    return this.step('writeStripe', () => {
      const c = this.need();
      if (c.position === 'contactless') this.reader.remove();
      c.position = 'print';
      c.stripe = { ...data };
    });
  }

  readStripe(track: 1 | 2 | 3): Promise<string> {
    return this.step('readStripe', () => {
      const read = this.need().stripe[`track${track}`] ?? '';
      if (!this.garbleNextRead) return read;
      this.garbleNextRead = false;
      return read.replace(/[0-9]/, (d) => String((Number(d) + 1) % 10));
    });
  }

  printAndEject(front: MonoPanel, back?: MonoPanel): Promise<void> {
    return this.step('print', () => {
      this.need().printed = { front, back };
      this.tray.push(this.out());
      this.leave();
    });
  }

  eject(): Promise<void> {
    return this.step('eject', () => {
      this.need();
      this.tray.push(this.out());
      this.leave();
    });
  }

  reject(): Promise<void> {
    return this.step('reject', () => {
      this.need();
      this.rejectBox.push(this.out());
      this.leave();
    });
  }

  async close(): Promise<void> {}
}
