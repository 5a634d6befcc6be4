/**
 * The reader core: a PC/SC reader as the CardReader of src/transport/card.ts, over any
 * PcscBinding (binding.ts). Knows no binding: it keeps the waiters, the card generations, the one
 * APDU queue, and drives the two state machines of recovery.ts.
 *
 * Every event reaches the caller: 'attached'/'detached' (reader name), 'card', 'removed' (UID) and
 * 'error'. An error goes to a pending waitForCard, else to 'error' listeners, else it is kept and
 * the next waitForCard rejects with it: never lost, never delivered twice. Cards whose ATR is not
 * a MIFARE Classic are reported as CardError NOT_SUPPORTED.
 *
 * pcscd going away is a CardError IO; the core then opens the binding again every `recoverMs`
 * until pcscd is back (OFFLINE -> CONNECTING -> ONLINE). A reset of our own (card.ts
 * reactivate()) may show as card-off / card-on: those never reach users as a removal.
 */
import { EventEmitter } from 'node:events';
import { toHex } from '../../codec/hex.js';
import { CardError, type CardReader, type MifareClassicCard } from '../../transport/card.js';
import { SCARD_E_NOT_TRANSACTED, SCARD_E_SHARING_VIOLATION, SERVICE_GONE_CODES, pcscReturnCode, transmitError, type ApduOp } from './apdus.js';
import { classifyAtr } from './atr.js';
import type { BindingContext, BindingReader, PcscBinding, ShareMode } from './binding.js';
import { PcscMifareCard, type CardLink } from './card.js';
import { chooseProfile, type ProfileChoice, type ReaderProfile } from './profiles/index.js';
import { CardWaiters } from './waiters.js';
import { SERVICE_TRANSITIONS, StateMachine, type ServiceEvent, type ServiceState } from './recovery.js';
import { needObject } from '../../codec/guard.js';
import { waitFor } from '../../transport/wait.js';

/** Detections tried when the first transmit to a new card is not transacted (see detect()). */
const DETECT_ATTEMPTS = 3;

export interface ReaderCoreOptions {
  binding: PcscBinding;
  /** Use the first reader whose name contains this (case-insensitive); default: the first reader. */
  name?: string;
  /** The reader profile: auto (from the reader name), a family, or a probed profile file. */
  profile?: ProfileChoice;
  /** Hold the card with SCARD_SHARE_EXCLUSIVE so no other PC/SC program slips APDUs in (encoding). */
  exclusive?: boolean;
  /** Re-activate a silent card before its next command (default true). */
  autoReactivate?: boolean;
  /** Period of re-opening the binding while pcscd is gone, ms. */
  recoverMs?: number;
  /** A card-off within this many ms of our own reset must be followed by card-on, or it is a removal. */
  resetEchoMs?: number;
  /** How long exclusive access may be refused (another program's connection) before it fails, ms. */
  exclusiveWaitMs?: number;
}

export class PcscCardReader extends EventEmitter implements CardReader {
  readonly service = new StateMachine<ServiceState, ServiceEvent>(SERVICE_TRANSITIONS, 'INIT');
  private readonly opts: ReaderCoreOptions & { recoverMs: number; resetEchoMs: number; exclusiveWaitMs: number };
  private ctx: BindingContext | undefined;
  private reader: BindingReader | undefined;
  private current: PcscMifareCard | undefined;
  private profileOf: ReaderProfile | undefined;
  /** Bumped on every arrival and removal: a card object only talks while its generation is current. */
  private gen = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiters = new CardWaiters();
  private retry: NodeJS.Timeout | undefined;
  /** Set while our own reset runs, and until its echo (card-off then card-on) has passed. */
  private resetting = false;
  /** Until when a card-off may be the echo of our last reset (ms since epoch). */
  private echoUntil = 0;
  private echoOff: NodeJS.Timeout | undefined;
  private readonly attachedListeners = new Set<() => void>();

  constructor(opts: ReaderCoreOptions) {
    super();
    needObject('PcscCardReader', 'opts', opts);
    this.opts = { ...opts, recoverMs: opts.recoverMs ?? 500, resetEchoMs: opts.resetEchoMs ?? 1000, exclusiveWaitMs: opts.exclusiveWaitMs ?? 2000 };
  }

  get name(): string {
    return this.reader?.name ?? (this.opts.name ? `pcsc:${this.opts.name}` : 'pcsc');
  }

  /** The card in the field, once detected. */
  get card(): PcscMifareCard | undefined {
    return this.current;
  }

  /** The profile in use for the attached reader (undefined before one is attached). */
  get profile(): ReaderProfile | undefined {
    return this.profileOf;
  }

  /** The names of the readers the PC/SC service has announced. */
  readerNames(): string[] {
    return this.ctx?.readerNames() ?? [];
  }

  /** Connects to the PC/SC service. Rejects with CardError IO when it does not answer. */
  async start(): Promise<void> {
    this.service.fire('start');
    try {
      await this.connect();
    } catch (e) {
      this.service.fire('failed');
      throw e;
    }
  }

  /**
   * Resolves when a reader matching `name` is attached; rejects after `ms` with CardError IO listing
   * the readers the service has (issue 19 item 20: a name that matches nothing is reported, not
   * waited on for ever).
   */
  whenAttached(ms: number): Promise<void> {
    if (this.reader) return Promise.resolve();
    return waitFor<void>({
      what: 'a reader attached',
      timeoutMs: ms,
      timeoutError: () => {
        const names = this.readerNames();
        const want = this.opts.name ? `no PC/SC reader matches "${this.opts.name}"` : 'no PC/SC reader is attached';
        return new CardError('IO', `${want} after ${ms} ms; ${this.opts.binding.describe} has ${names.length ? names.map((n) => `"${n}"`).join(', ') : 'no readers'}`);
      },
      subscribe: (resolve) => {
        const done = () => resolve();
        this.attachedListeners.add(done);
        return () => this.attachedListeners.delete(done);
      },
    });
  }

  async waitForCard(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MifareClassicCard> {
    if (this.service.state === 'CLOSED') throw new CardError('IO', 'reader is closed');
    // A kept error first (it happened before this call), then the card in the field.
    return this.waiters.wait(this.name, opts, this.current);
  }

  override off(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  async close(): Promise<void> {
    if (this.service.state === 'CLOSED') return;
    this.service.fire('close');
    if (this.retry) clearTimeout(this.retry);
    if (this.echoOff) clearTimeout(this.echoOff);
    this.waiters.rejectAll(new CardError('IO', 'reader closed'));
    const closing = this.teardown();
    this.removeAllListeners();
    await closing;
  }

  // --- the service ------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    const ctx = await this.opts.binding.open({ reader: (r) => this.onReader(r), error: (e) => this.onServiceError(e) });
    // close() ran while the binding was opening: this context is nobody's, close it now.
    if (this.service.state === 'CLOSED') return ctx.close();
    this.ctx = ctx;
    this.service.fire('opened');
  }

  /** pcscd went away: report once, then re-open the binding until it is back. */
  private onServiceError(err: Error): void {
    if (!this.service.fire('lost')) return;
    const detached = this.reader?.name;
    void this.teardown();
    if (detached) this.emit('detached', detached);
    this.report(new CardError('IO', `lost pcscd (${err.message}); reconnecting when it is back`, { cause: err }));
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    this.retry = setTimeout(async () => {
      this.retry = undefined;
      if (!this.service.fire('retry')) return;
      try {
        await this.connect();
      } catch {
        if (this.service.fire('failed')) this.scheduleRetry();
      }
    }, this.opts.recoverMs);
  }

  // --- binding events ---------------------------------------------------------------------------

  private onReader(r: BindingReader): void {
    const wanted = !this.opts.name || r.name.toLowerCase().includes(this.opts.name.toLowerCase());
    if (!wanted || this.reader) return;
    this.reader = r;
    this.profileOf = chooseProfile(this.opts.profile ?? { kind: 'auto' }, r.name).profile;
    r.listen({
      card: (atr) => void this.onCard(r, atr),
      cardOff: () => this.onCardOff(r),
      end: () => this.onDetach(r),
      error: (err) => this.onReaderError(r, err),
    });
    this.emit('attached', r.name);
    for (const f of [...this.attachedListeners]) f();
  }

  private async onCard(r: BindingReader, atr: Uint8Array): Promise<void> {
    if (r !== this.reader) return;
    if (this.resetting || this.echoOff) {
      // The card-on of our own reset: the same card, re-activated; not a new arrival. The stack
      // connected it again in shared mode: take it back exclusively when asked to.
      if (this.echoOff) clearTimeout(this.echoOff);
      this.echoOff = undefined;
      if (this.opts.exclusive) void this.enqueue(this.gen, 'reset', () => this.takeExclusive(r)).catch((e) => this.report(e as Error));
      return;
    }
    const g = ++this.gen;
    const kind = classifyAtr(atr);
    if (kind.kind !== 'mifare-classic') {
      const what = kind.kind === 'iso14443-4' ? 'an ISO 14443-4 card' : `a ${kind.name}`;
      this.report(new CardError('NOT_SUPPORTED', `${r.name}: the card presented is ${what} (ATR ${toHex(atr)}), not a MIFARE Classic`));
      return;
    }
    try {
      if (this.opts.exclusive) await this.enqueue(g, 'reset', () => this.takeExclusive(r));
      const card = await this.detect(r, g, atr);
      if (g !== this.gen) return; // it left during detection
      this.current = card;
      this.emit('card', card);
      this.waiters.resolveAll(card);
    } catch (e) {
      if (g !== this.gen || (e instanceof CardError && e.removed)) return; // pulled during detection: a removal, not a fault
      // A card leaving mid-transmit can fail as "Transaction failed" before pcscd reports it gone:
      // give the card-off a moment to arrive before calling it a fault.
      await new Promise((ok) => setTimeout(ok, this.opts.resetEchoMs / 4));
      if (g !== this.gen || this.service.state === 'CLOSED') return;
      this.report(e instanceof CardError ? e : new CardError('IO', `${r.name}: card detection failed`, { cause: e }));
    }
  }

  /**
   * Reads the UID of the card just connected. A first transmit can fail with SCARD_E_NOT_TRANSACTED
   * while pcscd still shows a card that has just left (it polls a reader's slot every 400 ms:
   * pcsc-lite PCSCLITE_STATUS_POLL_RATE) and another is already in the field, which pcscd then never
   * announces as new: so try again, twice, a quarter of the echo window apart, before reporting.
   */
  private async detect(r: BindingReader, g: number, atr: Uint8Array): Promise<PcscMifareCard> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await PcscMifareCard.detect(this.link(r, g), atr, { autoReactivate: this.opts.autoReactivate });
      } catch (e) {
        if (attempt >= DETECT_ATTEMPTS || g !== this.gen || pcscReturnCode(e) !== SCARD_E_NOT_TRANSACTED) throw e;
        await new Promise((ok) => setTimeout(ok, this.opts.resetEchoMs / 4));
        if (g !== this.gen) throw e;
      }
    }
  }

  private onCardOff(r: BindingReader): void {
    if (r !== this.reader) return;
    if (this.resetting || Date.now() < this.echoUntil) {
      // Maybe the card-off of our own reset: a removal only if no card-on follows in time.
      if (this.echoOff) clearTimeout(this.echoOff);
      this.echoOff = setTimeout(() => {
        this.echoOff = undefined;
        this.dropCard();
      }, this.opts.resetEchoMs);
      return;
    }
    this.dropCard();
  }

  private onDetach(r: BindingReader): void {
    if (r !== this.reader) return;
    this.dropCard();
    this.reader = undefined;
    this.emit('detached', r.name);
  }

  private onReaderError(r: BindingReader, err: Error): void {
    const rc = pcscReturnCode(err);
    if (rc !== undefined && SERVICE_GONE_CODES.has(rc)) return this.onServiceError(err);
    if (this.resetting) return; // the stack's own connect raced our reset: the reset's result decides
    const name = (err as { name?: string }).name ?? 'Error';
    this.report(err instanceof CardError ? err : new CardError('IO', `${r.name}: ${name}: ${err.message}`, { cause: err }));
  }

  // --- internals --------------------------------------------------------------------------------

  /**
   * Connects exclusively. Another program's shared connection (nfc-pcsc connects to every card it
   * sees) refuses that with SCARD_E_SHARING_VIOLATION; it may be about to let go, so retry every
   * 100 ms up to `exclusiveWaitMs`, then fail with the message transmitError gives for it.
   */
  private async takeExclusive(r: BindingReader): Promise<void> {
    const until = Date.now() + this.opts.exclusiveWaitMs;
    for (;;) {
      try {
        return await r.reconnect({ reset: false, share: 'exclusive' });
      } catch (e) {
        if (pcscReturnCode(e) !== SCARD_E_SHARING_VIOLATION || Date.now() >= until) throw e;
        await new Promise((ok) => setTimeout(ok, 100));
      }
    }
  }

  private link(r: BindingReader, g: number): CardLink {
    const share: ShareMode = this.opts.exclusive ? 'exclusive' : 'shared';
    return {
      readerName: r.name,
      profile: this.profileOf!,
      send: (op, apdu, max, block) => this.enqueue(g, op, () => r.transmit(apdu, max), block),
      reset: () =>
        this.enqueue(g, 'reset', async () => {
          this.resetting = true;
          try {
            await r.reconnect({ reset: true, share });
          } finally {
            this.resetting = false;
            this.echoUntil = Date.now() + this.opts.resetEchoMs;
          }
        }),
    };
  }

  private dropCard(): void {
    this.gen++;
    const card = this.current;
    this.current = undefined;
    if (card) {
      card.markGone();
      this.emit('removed', card.uid);
    }
  }

  /** Drops the card and the reader and closes the binding's context (it defers native closes). */
  private teardown(): Promise<void> {
    this.dropCard();
    this.reader = undefined;
    const ctx = this.ctx;
    this.ctx = undefined;
    return ctx ? ctx.close() : Promise.resolve();
  }

  /** Delivers an error to a waiter, else to 'error' listeners, else keeps it for the next wait. */
  private report(err: Error): void {
    if (this.service.state === 'CLOSED') return;
    this.waiters.report(err, (e) => this.listenerCount('error') > 0 && this.emit('error', e));
  }

  /** One operation at a time on the connection, and only for the card of generation `g`. */
  private enqueue<T>(g: number, op: ApduOp, fn: () => Promise<T>, block?: number): Promise<T> {
    const run = async (): Promise<T> => {
      if (g !== this.gen || !this.reader) throw new CardError('CARD_REMOVED', `${op}: the card left the reader`, { block });
      try {
        return await fn();
      } catch (e) {
        throw transmitError(op, e, block);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }
}
