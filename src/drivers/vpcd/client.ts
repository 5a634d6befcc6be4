/**
 * A virtual contactless card for vsmartcard's vpcd reader driver, which pcscd loads from
 * /etc/reader.conf.d/vpcd and which listens on TCP port 35963 (CHANNELID 0x8C7B) for a card.
 * Presenting the card = connecting; removing it = closing the connection (vpcd.c `vicc_present`
 * polls with get-ATR, so a closed connection is an empty reader within a poll period).
 *
 * Wire format and control bytes: frame.ts. APDUs are answered by apdu.ts, one at a time and in
 * order, by the emulated firmware of the slot's reader profile (profiles.ts; default ACS).
 *
 * vpcd accepts one card at a time (vpcd.c `vicc_present`: it accepts a client only while it has
 * none, then asks it for the ATR at once). A second client's TCP connection still succeeds (it sits
 * in the listen backlog), so "connected" does not mean "presented": the slot emits 'accepted' on the
 * first message from vpcd and 'busy' when none came within `acceptTimeoutMs`.
 *
 * The card answers with the PC/SC Part 3 ATR of a MIFARE Classic 1K (PC/SC Part 3 v2.02
 * section 3.1.3.2.3: RID A0 00 00 03 06, standard 03 = ISO 14443A part 3, card name 00 01).
 */
import { EventEmitter } from 'node:events';
import { Socket, connect } from 'node:net';
import { CardError, type KeyType } from '../../transport/card.js';
import { answerApdu, clearVolatileKeys, newReaderKeys, type ApduCard, type ReaderKeys } from './apdu.js';
import { firmwareProfile, type EmulatedFamily, type FirmwareProfile } from './profiles.js';
import { EMPTY_VPCD_FRAME_STATE, VPCD_CTRL, encodeVpcdFrame, feedVpcdFrames, type VpcdFrameState } from './frame.js';
import { needOptions, needCard } from '../../codec/guard.js';

export const VPCD_DEFAULT_PORT = 35963;

/** 3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A (TCK = XOR of bytes T0..T14). */
export const MIFARE_CLASSIC_1K_ATR: Uint8Array = new Uint8Array([
  0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, 0xa0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6a,
]);

/** A card behind the reader: the block interface plus a power cycle that re-activates the chip. */
export interface VpcdCard extends ApduCard {
  /**
   * RF field off/on or reset: the chip is re-activated (REQA, anticollision, select), answers
   * again after a failure and is not authenticated (MF1S50 section 8.2; NXP AN1304).
   */
  powerReset(): void;
}

/** The few members of the virtual card (src/testing/virtualCard.ts) this adapter needs. */
export interface VirtualCardLike {
  readonly uid: Uint8Array;
  authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void>;
  readBlock(block: number): Promise<Uint8Array>;
  writeBlock(block: number, data: Uint8Array): Promise<void>;
  /** Back in the field, not authenticated. */
  reinsert(): void;
}

/**
 * Adapts the virtual MIFARE Classic 1K to vpcd: a power cycle, and a reader's own reselect, are a
 * new activation of the card in the field (a random-ID card shows a new UID, hence the getter).
 */
export function vpcdCardFromVirtual(card: VirtualCardLike): VpcdCard {
  needCard('vpcdCardFromVirtual', card);
  return {
    get uid() {
      return card.uid;
    },
    authenticate: (b, t, k) => card.authenticate(b, t, k),
    readBlock: (b) => card.readBlock(b),
    writeBlock: (b, d) => card.writeBlock(b, d),
    reactivate: async () => card.reinsert(),
    powerReset: () => card.reinsert(),
  };
}

export interface VpcdSlotOptions {
  host?: string;
  port?: number;
  atr?: Uint8Array;
  /** Connect again (every `retryMs`) when pcscd closes the connection, until `remove()`. */
  stayPresented?: boolean;
  retryMs?: number;
  /** The reader firmware the card is answered with: a family id or a table (profiles.ts); default ACS. */
  profile?: FirmwareProfile | EmulatedFamily;
  /** How long vpcd may take to ask for the ATR after the connection before the slot counts as busy. */
  acceptTimeoutMs?: number;
}

export interface VpcdCounters {
  apdus: number;
  controls: number;
  connections: number;
}

/**
 * The slot of one virtual card in pcscd's vpcd reader. Events: 'apdu' (command, response),
 * 'control' (byte), 'connected' (TCP connection made), 'accepted' (vpcd spoke: the card is in the
 * reader), 'busy' (ms waited: vpcd did not speak, its single slot is taken), 'disconnected'
 * (reason), 'error' (Error; only with a listener, for connection failures while `stayPresented`
 * retries).
 */
export class VpcdSlot extends EventEmitter {
  readonly host: string;
  readonly port: number;
  readonly profile: FirmwareProfile;
  readonly counters: VpcdCounters = { apdus: 0, controls: 0, connections: 0 };
  private readonly atr: Uint8Array;
  private readonly stay: boolean;
  private readonly retryMs: number;
  private socket: Socket | undefined;
  private card: VpcdCard | undefined;
  private keys: ReaderKeys = newReaderKeys();
  private frames: VpcdFrameState = EMPTY_VPCD_FRAME_STATE;
  private queue: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;
  private acceptTimer: NodeJS.Timeout | undefined;
  private accepted = false;
  private readonly acceptTimeoutMs: number;

  constructor(opts: VpcdSlotOptions = {}) {
    super();
    needOptions('VpcdSlot', 'opts', opts);
    this.host = opts.host ?? '127.0.0.1';
    this.port = opts.port ?? VPCD_DEFAULT_PORT;
    this.atr = opts.atr ?? MIFARE_CLASSIC_1K_ATR;
    this.stay = opts.stayPresented ?? false;
    this.retryMs = opts.retryMs ?? 200;
    this.profile = typeof opts.profile === 'object' ? opts.profile : firmwareProfile(opts.profile ?? 'acs');
    // pcscd polls a reader's presence every 400 ms (PCSCLITE_STATUS_POLL_RATE); vpcd asks for the
    // ATR on its first poll after accepting: several polls without a word mean the slot is taken.
    this.acceptTimeoutMs = opts.acceptTimeoutMs ?? 3000;
  }

  /** True once vpcd has spoken on this connection: pcscd sees the card. */
  get isAccepted(): boolean {
    return this.accepted;
  }

  /** True while connected to vpcd (the card is in the reader's field). */
  get connected(): boolean {
    return this.socket !== undefined;
  }

  /** Presents `card`: connects to vpcd. Rejects with CardError IO when vpcd does not listen. */
  async present(card: VpcdCard): Promise<void> {
    if (this.card) await this.remove();
    this.card = card;
    await this.open();
  }

  /** Removes the card: closes the connection (and stops reconnecting). */
  async remove(): Promise<void> {
    this.card = undefined;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    this.clearAcceptTimer();
    const s = this.socket;
    if (!s) return;
    this.socket = undefined;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }

  private open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const s = connect({ host: this.host, port: this.port });
      s.setNoDelay(true);
      let settled = false;
      s.once('connect', () => {
        settled = true;
        if (!this.card) {
          // remove() came while this (re)connection was under way: it found no socket to close. Left
          // open, vpcd would take it for the card and wait for its answer to get-ATR without a
          // time-out (vpcd.c recvall), holding the reader in pcscd for every client.
          s.destroy();
          resolve();
          return;
        }
        this.socket = s;
        this.keys = newReaderKeys();
        this.frames = EMPTY_VPCD_FRAME_STATE;
        this.card?.powerReset();
        this.counters.connections++;
        this.accepted = false;
        this.clearAcceptTimer();
        const waitMs = this.acceptTimeoutMs;
        this.acceptTimer = setTimeout(() => {
          this.acceptTimer = undefined;
          if (this.socket === s && !this.accepted) this.emit('busy', waitMs);
        }, waitMs);
        this.acceptTimer.unref();
        this.emit('connected');
        resolve();
      });
      s.on('data', (chunk: Buffer) => this.onData(s, chunk));
      s.on('error', (err) => {
        if (!settled) {
          settled = true;
          reject(new CardError('IO', `vpcd at ${this.host}:${this.port} does not answer (is pcscd running with vsmartcard-vpcd?)`, { cause: err }));
        }
      });
      s.on('close', () => this.onClose(s));
    });
  }

  private onData(s: Socket, chunk: Buffer): void {
    const step = feedVpcdFrames(this.frames, chunk);
    this.frames = step.state;
    for (const frame of step.frames) {
      // One message at a time, in order: an APDU's answer must go out before the next is read.
      this.queue = this.queue.then(() => this.handle(s, frame));
    }
  }

  private clearAcceptTimer(): void {
    if (this.acceptTimer) clearTimeout(this.acceptTimer);
    this.acceptTimer = undefined;
  }

  private async handle(s: Socket, msg: Uint8Array): Promise<void> {
    if (s !== this.socket) return;
    // No card but a connection: close it rather than leave vpcd waiting for an answer (see open()).
    if (!this.card) return this.drop(s, 'no card');
    if (!this.accepted) {
      this.accepted = true;
      this.clearAcceptTimer();
      this.emit('accepted');
    }
    if (msg.length === 1) {
      this.counters.controls++;
      this.emit('control', msg[0]);
      if (msg[0] === VPCD_CTRL.ATR) s.write(encodeVpcdFrame(this.atr));
      else if (msg[0] === VPCD_CTRL.OFF || msg[0] === VPCD_CTRL.ON || msg[0] === VPCD_CTRL.RESET) {
        // IFDHPowerICC (vpcd ifd.c) for SCardConnect, SCardReconnect and SCardDisconnect with
        // SCARD_RESET_CARD / SCARD_UNPOWER_CARD: the field drops, the chip is re-activated, and the
        // reader's volatile key memory is gone ([ACR122U] 5.1 "the keys disappear"; profiles.ts).
        this.card.powerReset();
        clearVolatileKeys(this.keys);
      }
      return; // only get-ATR is answered (vpcd.c)
    }
    this.counters.apdus++;
    let response: Uint8Array;
    try {
      response = await answerApdu(this.card, this.keys, msg, this.profile);
    } catch (e) {
      // The card left the field in the middle of the command: the reader sees the card go.
      this.emit('apdu', msg, undefined);
      this.drop(s, e instanceof Error ? e.message : String(e));
      return;
    }
    if (s !== this.socket) return;
    s.write(encodeVpcdFrame(response));
    this.emit('apdu', msg, response);
  }

  private drop(s: Socket, reason: string): void {
    if (this.socket === s) this.socket = undefined;
    this.clearAcceptTimer();
    this.card = undefined;
    s.destroy();
    this.emit('disconnected', reason);
  }

  private onClose(s: Socket): void {
    if (this.socket !== s) return;
    this.socket = undefined;
    this.clearAcceptTimer();
    this.emit('disconnected', 'vpcd closed the connection');
    if (this.stay && this.card) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.card || this.socket) return;
      this.open().catch((err: Error) => {
        if (this.listenerCount('error') > 0) this.emit('error', err);
        if (this.card) this.scheduleReconnect();
      });
    }, this.retryMs);
  }
}
