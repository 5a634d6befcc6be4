/**
 * A MIFARE Classic in a PC/SC reader, as the MifareClassicCard of src/transport/card.ts: one
 * command APDU per operation (apdus.ts), in the dialect of the reader's profile (profiles/), sent
 * one at a time through the reader core's queue (core.ts).
 *
 * Keys: a key is loaded (FF 82) once per card connection and key number, then named by number in
 * every authentication, so a gate read after detection costs three APDUs: load key, authenticate,
 * read (issue 4; counted in test/integration/drivers/pcsc/pcsc-integration.test.ts). Key bytes never appear in messages.
 *
 * Recovery (issue 13): a failed authentication or a refused read/write leaves the chip silent
 * (recovery.ts). The card then re-activates itself before its next command: a reset through the
 * reader (SCardDisconnect with SCARD_RESET_CARD and SCardConnect again), the UID read again
 * (UID_CHANGED when another card answers), the key cache emptied so keys are loaded again.
 * `autoReactivate: false` leaves that to the caller (reactivate()); meanwhile every failure is
 * CARD_SILENT, never a wrong key.
 */
import { toHex } from '../../codec/hex.js';
import { CardError, type KeyType, type MifareClassicCard } from '../../transport/card.js';
import { authenticateApdu, getUidApdu, loadKeyApdu, readBinaryApdu, splitResponse, updateBinaryApdu, type ApduOp } from './apdus.js';
import { codeFor, silences, swRow, unknownSwError, type ProfileOp, type ReaderProfile } from './profiles/index.js';
import { classifyAtr } from './atr.js';
import { CARD_TRANSITIONS, StateMachine, type CardEvent, type CardState } from './recovery.js';
import { needBytes, needObject, needOptions } from '../../codec/guard.js';

/** What the card needs from the reader core: its queue (generation-checked) and the reset. */
export interface CardLink {
  readonly readerName: string;
  readonly profile: ReaderProfile;
  /** Sends one APDU on the card's connection; rejects with CardError (CARD_REMOVED when it left). */
  send(op: ApduOp, apdu: Uint8Array, maxResponse: number, block?: number): Promise<Uint8Array>;
  /** Resets the card through the reader and connects again; the card-off/on of it is not a removal. */
  reset(): Promise<void>;
}

export interface PcscCardOptions {
  /** Re-activate a silent card before its next command (default true). */
  autoReactivate?: boolean;
}

const BLOCK = 16;
const OK = 0x9000;

export interface PcscCardCounters {
  apdus: number;
  keyLoads: number;
  authentications: number;
  failedAuthentications: number;
  reactivations: number;
}

export class PcscMifareCard implements MifareClassicCard {
  readonly uid: Uint8Array;
  readonly atr: Uint8Array;
  readonly counters: PcscCardCounters = { apdus: 0, keyLoads: 0, authentications: 0, failedAuthentications: 0, reactivations: 0 };
  readonly machine = new StateMachine<CardState, CardEvent>(CARD_TRANSITIONS, 'DETECTING');
  /** Key number -> fingerprint of the key the reader holds there (only in memory). */
  private readonly loaded = new Map<number, string>();
  private nextSlot = 0;
  /** Index of the Load Keys form the reader took (profiles with a fall-back form). */
  private form = 0;
  /** The sector the chip is authenticated to, as far as the driver knows. */
  private authSector: number | undefined;
  private readonly auto: boolean;
  /** Blocks of the card the ATR names (PC/SC Part 3 card names: 1K 64, 4K 256, Mini 20). */
  private readonly blocks: number;

  private constructor(uid: Uint8Array, atr: Uint8Array, private readonly link: CardLink, opts: PcscCardOptions) {
    needBytes('PcscMifareCard', 'uid', uid);
    needBytes('PcscMifareCard', 'atr', atr);
    needObject('PcscMifareCard', 'link', link);
    this.uid = uid;
    this.atr = atr;
    this.auto = opts.autoReactivate ?? true;
    const kind = classifyAtr(atr);
    this.blocks = kind.kind !== 'mifare-classic' ? 256 : kind.name.endsWith('1K') ? 64 : kind.name === 'MIFARE Mini' ? 20 : 256;
  }

  /** Detection: reads the UID (FF CA) of the card just connected. */
  static async detect(link: CardLink, atr: Uint8Array, opts: PcscCardOptions = {}): Promise<PcscMifareCard> {
    needObject('PcscMifareCard.detect', 'link', link);
    needBytes('PcscMifareCard.detect', 'atr', atr);
    needOptions('PcscMifareCard.detect', 'opts', opts);
    const uid = await readUid(link);
    const card = new PcscMifareCard(uid, atr, link, opts);
    card.machine.fire('detected');
    return card;
  }

  get profile(): ReaderProfile {
    return this.link.profile;
  }

  /** The card's state (recovery.ts): READY, SILENT, RESETTING, UID_CHANGED, GONE. */
  get state(): CardState {
    return this.machine.state;
  }

  /** Sends a raw APDU and returns the response with its status word: counted, not mapped. */
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.counters.apdus++;
    return this.link.send('transmit', apdu, 258);
  }

  async authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void> {
    checkBlock(block, this.blocks);
    if (key.length !== 6) throw new CardError('BAD_BLOCK', 'a MIFARE Classic key is 6 bytes', { block });
    await this.ready();
    const keyNumber = await this.keyNumberFor(keyType, key);
    this.authSector = undefined;
    this.counters.authentications++;
    const r = await this.apdu('authenticate', authenticateApdu(block, keyType, keyNumber), 2, block);
    if (r.sw !== OK) {
      const e = this.failure('authenticate', r.sw, block);
      if (e.code === 'AUTH_FAILED' || e.code === 'CARD_SILENT' || e.code === 'TIMEOUT') this.counters.failedAuthentications++;
      throw e;
    }
    this.authSector = block >> 2;
  }

  async readBlock(block: number): Promise<Uint8Array> {
    checkBlock(block, this.blocks);
    await this.ready();
    const r = await this.apdu('read', readBinaryApdu(block), BLOCK + 2, block);
    if (r.sw !== OK) throw this.failure('read', r.sw, block);
    if (r.data.length !== BLOCK) throw new CardError('IO', `read block ${block}: ${r.data.length} bytes`, { block, sw: r.sw });
    return r.data.slice();
  }

  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    checkBlock(block, this.blocks);
    await this.ready();
    const r = await this.apdu('write', updateBinaryApdu(block, data), 2, block);
    if (r.sw !== OK) throw this.failure('write', r.sw, block);
  }

  /** Field reset through the reader, UID read again, keys to be loaded again. Counted. */
  async reactivate(): Promise<void> {
    this.alive();
    this.machine.fire('reset');
    this.authSector = undefined;
    this.loaded.clear();
    try {
      await this.link.reset();
      const uid = await readUid(this.link);
      this.counters.apdus++;
      if (toHex(uid) !== toHex(this.uid)) {
        this.machine.fire('uid-changed');
        throw new CardError('UID_CHANGED', `after the re-activation ${this.link.readerName} sees UID ${toHex(uid)}, not ${toHex(this.uid)} (a random-ID card, or another card)`);
      }
    } catch (e) {
      if (!(e instanceof CardError) || e.code !== 'UID_CHANGED') this.machine.fire(e instanceof CardError && e.removed ? 'reset-failed' : 'failure');
      throw e;
    } finally {
      this.counters.reactivations++;
    }
    this.machine.fire('reactivated');
  }

  /** The card left the field (the core says so). */
  markGone(): void {
    this.machine.fire('left');
  }

  // --- internals --------------------------------------------------------------------------------

  private alive(): void {
    const s = this.machine.state;
    if (s === 'GONE') throw new CardError('CARD_REMOVED', 'the card left the reader');
    if (s === 'UID_CHANGED') throw new CardError('UID_CHANGED', 'another card answers in the field since the last re-activation; present the card again');
  }

  /** Re-activates a silent card first (unless the caller asked to do that itself). */
  private async ready(): Promise<void> {
    this.alive();
    if (this.machine.state === 'SILENT' && this.auto) await this.reactivate();
  }

  private async apdu(op: ApduOp, apdu: Uint8Array, max: number, block?: number): Promise<{ data: Uint8Array; sw: number }> {
    this.counters.apdus++;
    try {
      return splitResponse(op, await this.link.send(op, apdu, max, block), block);
    } catch (e) {
      this.authSector = undefined;
      if (e instanceof CardError && e.removed) this.machine.fire('left');
      throw e;
    }
  }

  /** The error for a status word, by the profile's table; moves the card to SILENT when the chip is. */
  private failure(op: ProfileOp, sw: number, block?: number): CardError {
    const silent = this.machine.state === 'SILENT';
    const sector = block === undefined ? undefined : block >> 2;
    const authenticated = sector !== undefined && this.authSector === sector;
    this.authSector = undefined;
    const row = swRow(this.profile, op, sw);
    if (!row) {
      if (op !== 'load-key' && op !== 'get-uid') this.machine.fire('failure');
      return unknownSwError(op, sw, this.link.readerName, this.profile, block);
    }
    const code = codeFor(row.meaning, op, { silent, authenticated });
    if (silences(row.meaning, op)) this.machine.fire('failure');
    const where = block === undefined ? '' : ` block ${block}`;
    const swHex = sw.toString(16).padStart(4, '0').toUpperCase();
    const why = code === 'CARD_SILENT' ? 'the card is silent after an earlier failure: re-activate it' : row.meaning;
    return new CardError(code, `${op}${where}: ${this.link.readerName} answered ${swHex} (${why}; ${row.cite})`, { block, sector, sw });
  }

  /** The key number holding `key` for `keyType`, loading it first when needed. */
  private async keyNumberFor(keyType: KeyType, key: Uint8Array): Promise<number> {
    const id = toHex(key);
    const forms = this.profile.loadKey;
    const slots = this.profile.slots;
    for (let s = 0; s < slots; s++) if (this.loaded.get(forms[this.form].p2(s, keyType)) === id) return forms[this.form].authKeyNumber(s, keyType);
    let slot = [...Array(slots).keys()].find((s) => !this.loaded.has(forms[this.form].p2(s, keyType))) ?? this.nextSlot;
    this.nextSlot = (slot + 1) % slots;
    for (;;) {
      const form = forms[this.form];
      const number = form.p2(slot, keyType);
      this.loaded.delete(number);
      const r = await this.apdu('load-key', loadKeyApdu(number, key, form.p1), 2);
      if (r.sw === OK) {
        this.counters.keyLoads++;
        this.loaded.set(number, id);
        return form.authKeyNumber(slot, keyType);
      }
      if (form.fallBackOn?.includes(r.sw) && this.form + 1 < forms.length) {
        this.form++; // the reader refuses this form (e.g. no non-volatile memory): the next one
        this.loaded.clear();
        slot = 0;
        continue;
      }
      throw this.failure('load-key', r.sw);
    }
  }
}

async function readUid(link: CardLink): Promise<Uint8Array> {
  const r = splitResponse('get-uid', await link.send('get-uid', getUidApdu(), 12));
  if (r.sw !== OK) {
    const row = swRow(link.profile, 'get-uid', r.sw);
    if (!row) throw unknownSwError('get-uid', r.sw, link.readerName, link.profile);
    throw new CardError(codeFor(row.meaning, 'get-uid', { silent: false, authenticated: false }), `get-uid: ${link.readerName} answered ${r.sw.toString(16).padStart(4, '0').toUpperCase()}`, { sw: r.sw });
  }
  if (![4, 7, 10].includes(r.data.length)) throw new CardError('IO', `get-uid: a UID of ${r.data.length} bytes`, { sw: r.sw });
  return r.data.slice();
}

function checkBlock(block: number, blocks: number): void {
  // Checked here, not sent: an ACS reader answers a block beyond the card with 63 00 like any failure.
  if (!Number.isInteger(block) || block < 0 || block >= blocks) throw new CardError('BAD_BLOCK', `block ${block} is out of range (the card has ${blocks} blocks)`, { block });
}
