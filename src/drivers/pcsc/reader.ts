/**
 * A PC/SC reader (ACR122U, ACR1252U, OMNIKEY 5x21, or pcscd's vpcd) as the CardReader of
 * src/transport/card.ts, over nfc-pcsc with autoProcessing off: nfc-pcsc only tells us that a
 * card arrived (after its SCardConnect) or left; everything the card is asked goes through
 * card.ts, one APDU at a time on a single queue.
 *
 * Every event reaches the caller: 'attached'/'detached' (reader name), 'card', 'removed' (UID) and
 * 'error'. An error goes to a pending waitForCard, else to 'error' listeners, else it is kept and
 * the next waitForCard rejects with it: never lost, never delivered twice. nfc-pcsc's Reader.js
 * emits some connect errors with the error object as the event name (`this.emit(err)`): the
 * driver re-routes those to 'error'. Cards whose ATR is not a MIFARE Classic (ISO 14443-4 cards,
 * Ultralight) are reported as CardError NOT_SUPPORTED.
 *
 * pcscd going away (stopped, restarted) is a CardError IO; the driver then probes pcscd's socket
 * and reconnects when it is back (pcsclite's constructor spins in SCardEstablishContext while
 * pcscd is down, so it must not be constructed before the socket answers).
 */
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { toHex } from '../../codec/hex.js';
import { CardError, type CardReader, type MifareClassicCard } from '../../transport/card.js';
import { SERVICE_GONE_CODES, pcscReturnCode, transmitError, type ApduOp } from './apdus.js';
import { classifyAtr } from './atr.js';
import { PcscMifareCard } from './card.js';
import { loadNfcPcsc, type NfcPcsc, type NfcPcscReader } from './nfcPcsc.js';
import { needString, needOptions } from '../../codec/guard.js';

export interface PcscReaderOptions {
  /** Use the first reader whose name contains this (case-insensitive); default: the first reader. */
  name?: string;
  /** Creates the nfc-pcsc NFC object; default: `new NFC()` from the lazily loaded nfc-pcsc. */
  createNfc?: () => Promise<NfcPcsc>;
  /** pcscd's client socket, probed before (re)connecting. Default $PCSCLITE_CSOCK_NAME or /run/pcscd/pcscd.comm. */
  socketPath?: string;
  /** Probe period while pcscd is gone, ms. */
  recoverMs?: number;
}

const noop = () => {};

/** True when pcscd accepts a connection on its socket. */
export function probePcscd(path: string): Promise<boolean> {
  needString('probePcscd', 'path', path);
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

interface Waiter {
  resolve(card: MifareClassicCard): void;
  reject(err: Error): void;
}

export class PcscCardReader extends EventEmitter implements CardReader {
  private readonly opts: Required<Omit<PcscReaderOptions, 'name'>> & { name?: string };
  private nfc: NfcPcsc | undefined;
  private readonly seen: NfcPcscReader[] = [];
  private reader: NfcPcscReader | undefined;
  private current: PcscMifareCard | undefined;
  /** Bumped on every arrival and removal: a card object only talks while its generation is current. */
  private gen = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private waiters: Waiter[] = [];
  private pendingError: Error | undefined;
  private recovering: NodeJS.Timeout | undefined;
  private lostPcscd = false;
  private closed = false;

  constructor(opts: PcscReaderOptions = {}) {
    super();
    needOptions('PcscCardReader', 'opts', opts);
    this.opts = {
      name: opts.name,
      createNfc: opts.createNfc ?? (async () => new (await loadNfcPcsc()).NFC()),
      socketPath: opts.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm',
      recoverMs: opts.recoverMs ?? 500,
    };
  }

  get name(): string {
    return this.reader?.name ?? (this.opts.name ? `pcsc:${this.opts.name}` : 'pcsc');
  }

  /** The card in the field, once detected. */
  get card(): PcscMifareCard | undefined {
    return this.current;
  }

  /** Connects to pcscd. Rejects with CardError IO when pcscd does not answer. */
  async start(): Promise<void> {
    if (!(await probePcscd(this.opts.socketPath))) throw new CardError('IO', `pcscd is not running (no answer on ${this.opts.socketPath}); start it with \`pcscd\` or scripts/pcscd-test-env.sh`);
    const nfc = await this.opts.createNfc();
    this.nfc = nfc;
    nfc.on('reader', (r) => this.onReader(r));
    nfc.on('error', (err) => this.onServiceError(err));
  }

  async waitForCard(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MifareClassicCard> {
    if (this.closed) throw new CardError('IO', 'reader is closed');
    if (this.pendingError) {
      const e = this.pendingError;
      this.pendingError = undefined;
      throw e;
    }
    if (this.current) return this.current;
    return new Promise<MifareClassicCard>((resolve, reject) => {
      const done = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        resolve: (c) => (done(), resolve(c)),
        reject: (e) => (done(), reject(e)),
      };
      const onAbort = () => waiter.reject(new CardError('TIMEOUT', 'waiting for a card was aborted', { cause: opts.signal?.reason }));
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => waiter.reject(new CardError('TIMEOUT', `no card within ${opts.timeoutMs} ms on ${this.name}`)), opts.timeoutMs);
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  override off(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.off(event, listener as (...args: unknown[]) => void);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recovering) clearTimeout(this.recovering);
    for (const w of [...this.waiters]) w.reject(new CardError('IO', 'reader closed'));
    const closing = this.teardown();
    this.removeAllListeners();
    await closing;
  }

  // --- nfc-pcsc events ----------------------------------------------------------------------

  private onReader(r: NfcPcscReader): void {
    this.seen.push(r);
    r.on('error', noop); // replaced below for the chosen reader; others must not throw
    const wanted = !this.opts.name || r.name.toLowerCase().includes(this.opts.name.toLowerCase());
    if (!wanted || this.reader) return;
    this.reader = r;
    r.autoProcessing = false;
    // Guard: nfc-pcsc's Reader.js does `this.emit(err)` for connect/disconnect failures.
    const emit = r.emit.bind(r);
    r.emit = (event: string | symbol, ...args: unknown[]) => ((event as unknown) instanceof Error ? emit('error', event) : emit(event, ...args));
    r.removeAllListeners('error');
    r.on('error', (err: Error) => this.onReaderError(r, err));
    r.on('card', (info: { atr?: Buffer }) => void this.onCard(r, info));
    r.on('card.off', () => this.onCardOff(r));
    r.on('end', () => this.onDetach(r));
    this.emit('attached', r.name);
  }

  private async onCard(r: NfcPcscReader, info: { atr?: Buffer }): Promise<void> {
    if (r !== this.reader) return;
    const g = ++this.gen;
    const atr = new Uint8Array(info.atr ?? []);
    const kind = classifyAtr(atr);
    if (kind.kind !== 'mifare-classic') {
      const what = kind.kind === 'iso14443-4' ? 'an ISO 14443-4 card' : `a ${kind.name}`;
      this.report(new CardError('NOT_SUPPORTED', `${r.name}: the card presented is ${what} (ATR ${toHex(atr)}), not a MIFARE Classic`));
      return;
    }
    try {
      const card = await PcscMifareCard.detect((op, apdu, max, block) => this.transmit(g, op, apdu, max, block), atr);
      if (g !== this.gen) return; // it left during detection
      this.current = card;
      this.emit('card', card);
      for (const w of [...this.waiters]) w.resolve(card);
    } catch (e) {
      if (g !== this.gen || (e instanceof CardError && e.removed)) return; // pulled during detection: a removal, not a fault
      this.report(e instanceof CardError ? e : new CardError('IO', `${r.name}: card detection failed`, { cause: e }));
    }
  }

  private onCardOff(r: NfcPcscReader): void {
    if (r !== this.reader) return;
    this.dropCard();
  }

  private onDetach(r: NfcPcscReader): void {
    if (r !== this.reader) return;
    this.dropCard();
    this.reader = undefined;
    this.emit('detached', r.name);
  }

  private onReaderError(r: NfcPcscReader, err: Error): void {
    const rc = pcscReturnCode(err);
    if (rc !== undefined && SERVICE_GONE_CODES.has(rc)) return this.onServiceError(err);
    const name = (err as { name?: string }).name ?? 'Error';
    this.report(err instanceof CardError ? err : new CardError('IO', `${r.name}: ${name}: ${err.message}`, { cause: err }));
  }

  /** pcsclite's monitor stopped (pcscd gone): report once, then reconnect when pcscd is back. */
  private onServiceError(err: Error): void {
    if (this.closed || this.lostPcscd) return;
    this.lostPcscd = true;
    const detached = this.reader?.name;
    void this.teardown();
    if (detached) this.emit('detached', detached);
    this.report(new CardError('IO', `lost pcscd (${err.message}); reconnecting when it is back`, { cause: err }));
    this.scheduleRecovery();
  }

  private scheduleRecovery(): void {
    this.recovering = setTimeout(async () => {
      this.recovering = undefined;
      if (this.closed) return;
      try {
        await this.start();
        this.lostPcscd = false;
      } catch {
        if (!this.closed) this.scheduleRecovery();
      }
    }, this.opts.recoverMs);
  }

  // --- internals --------------------------------------------------------------------------------

  private dropCard(): void {
    this.gen++;
    const card = this.current;
    this.current = undefined;
    if (card) this.emit('removed', card.uid);
  }

  /**
   * Closes nfc-pcsc; its objects keep a no-op 'error' listener, as the native side may still emit.
   *
   * The native close() calls run on a later turn (setImmediate), never inside the event that led
   * here. @pokusew/pcsclite's CardReader::HandleReaderStatusChange holds the reader's mutex while
   * it calls into JS ('status', 'error', '_end'), and CardReader::Close locks that same
   * non-recursive mutex: a close() reached synchronously from one of those events (pcscd stopped
   * -> 'error' -> onServiceError -> teardown, or a user's 'error' listener calling close())
   * blocks the main thread for ever. Seen in CI and reproduced (gdb: main thread in
   * CardReader::Close -> uv_mutex_lock, no other thread in pcsclite).
   */
  private teardown(): Promise<void> {
    this.dropCard();
    this.reader = undefined;
    const readers = this.seen.splice(0);
    for (const r of readers) {
      r.removeAllListeners();
      r.on('error', noop);
    }
    const nfc = this.nfc;
    this.nfc = undefined;
    if (nfc) {
      nfc.removeAllListeners();
      nfc.on('error', noop);
    }
    return new Promise((resolve) =>
      setImmediate(() => {
        for (const r of readers) {
          try {
            r.close();
          } catch {
            /* already ended */
          }
        }
        try {
          nfc?.close();
        } catch {
          /* already stopped */
        }
        resolve();
      }),
    );
  }

  /** Delivers an error to a waiter, else to 'error' listeners, else keeps it for the next wait. */
  private report(err: Error): void {
    if (this.closed) return;
    if (this.waiters.length) for (const w of [...this.waiters]) w.reject(err);
    else if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.pendingError = err;
  }

  /** One APDU at a time on the connection, and only for the card of generation `g`. */
  private transmit(g: number, op: ApduOp, apdu: Uint8Array, max: number, block?: number): Promise<Uint8Array> {
    const run = async (): Promise<Uint8Array> => {
      const r = this.reader;
      if (g !== this.gen || !r) throw new CardError('CARD_REMOVED', `${op}: the card left the reader`, { block });
      try {
        return new Uint8Array(await r.transmit(Buffer.from(apdu), max));
      } catch (e) {
        throw transmitError(op, e, block);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(noop);
    return p;
  }
}

/** Opens the PC/SC reader: connects to pcscd now; cards arrive as 'card' events / waitForCard. */
export async function openPcscReader(opts: PcscReaderOptions = {}): Promise<PcscCardReader> {
  needOptions('openPcscReader', 'opts', opts);
  const reader = new PcscCardReader(opts);
  await reader.start();
  return reader;
}
