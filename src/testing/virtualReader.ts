/**
 * A virtual card reader (the CardReader of src/transport/card.ts) on which virtual cards are
 * presented and removed by the test, with the 'card' and 'removed' events of a PC/SC reader.
 * One card at a time, as on a single-slot contactless reader.
 */
import { EventEmitter } from 'node:events';
import { CardError, type CardReader, type MifareClassicCard } from '../transport/card.js';
import { waitFor } from '../transport/wait.js';
import type { VirtualMifareClassic1K } from './virtualCard.js';
import { needString } from '../codec/guard.js';

export class VirtualCardReader extends EventEmitter implements CardReader {
  readonly name: string;
  private current: VirtualMifareClassic1K | undefined;
  private closed = false;
  /** Cards whose removal this reader already listens to: one listener per card, however often presented. */
  private readonly watched = new WeakSet<VirtualMifareClassic1K>();

  constructor(name = 'hmskort virtual reader') {
    super();
    needString('VirtualCardReader', 'name', name);
    this.name = name;
  }

  /** The card in the field, if any. */
  get card(): VirtualMifareClassic1K | undefined {
    return this.current;
  }

  /** Puts `card` into the field (removing the one there); emits 'card'. */
  present(card: VirtualMifareClassic1K): void {
    if (this.closed) throw new Error('reader is closed');
    if (this.current) this.remove();
    card.reinsert();
    this.current = card;
    // The card can also leave by itself (fault injection `pullAfter`): report that as a removal.
    if (!this.watched.has(card)) {
      this.watched.add(card);
      card.onRemoved(() => {
        if (this.current !== card) return;
        this.current = undefined;
        this.emit('removed', card.uid);
      });
    }
    this.emit('card', card);
  }

  /** Takes the card out of the field; emits 'removed'. */
  remove(): void {
    this.current?.remove();
  }

  async waitForCard(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MifareClassicCard> {
    if (this.closed) throw new CardError('IO', 'reader is closed');
    if (this.current) return this.current;
    return waitFor<MifareClassicCard>({
      what: `a card on ${this.name}`,
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      timeoutError: (ms) => new CardError('TIMEOUT', `no card within ${ms} ms`),
      abortError: (reason) => new CardError('TIMEOUT', 'waiting for a card was aborted', { cause: reason }),
      subscribe: (resolve) => {
        this.on('card', resolve);
        return () => this.off('card', resolve);
      },
    });
  }

  override off(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current = undefined;
    this.removeAllListeners();
  }
}
