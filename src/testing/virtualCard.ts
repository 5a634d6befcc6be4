/**
 * A virtual MIFARE Classic 1K (NXP MF1S50yyX/V1 datasheet, rev. 3.2, 23 May 2018): 16 sectors of
 * 4 blocks, per-sector three-pass authentication with key A or B, the access conditions of Tables
 * 7 and 8 enforced on every read and write, for users' own tests (`hmskort/testing`).
 *
 * Rules modelled, each with what states it:
 * - Silent after a failure (default `afterFailure: 'stay-silent'`). A failed authentication, or a
 *   read or write the chip refuses for any reason, leaves the chip out of the authenticated state
 *   and answering nothing but an activation: every later command fails with CARD_SILENT until the
 *   card is re-activated (`reactivate()`: field reset + REQA/anticollision/select; `reinsert()`;
 *   a power reset). The datasheet gives the NAK a refused command gets (9.3, Table 10) and the
 *   command flow in which memory operations follow only "Select Card" and "3 Pass Authentication"
 *   (8.2, Fig. 4: every transaction starts again at Request/Anticollision/Select); a wrong key
 *   simply gets no pass-three answer (8.4, "Three pass authentication sequence", step 4). The
 *   state rule itself is ISO/IEC 14443-3's PICC state machine, which NXP spells out for its
 *   Type A chips: "In each state the command interpreter returns to the Idle state if an
 *   unexpected command is received or any other error occurs" (MF0ICU2 datasheet rev. 3.3, 7.2,
 *   remark under Fig. 4; NTAG213F/216F 8.4.4-8.4.5 say the same), and IDLE answers REQA/WUPA
 *   only. Corroboration from readers of real cards: libnfc utils/nfc-mfclassic.c redoes the
 *   anticollision ("When a failure occured we need to redo the anti-collision") before the next
 *   sector after any failure; mfoc src/mfoc.c calls mf_anticollision() after every failed key;
 *   Proxmark3 armsrc/mifarecmd.c runs a select cycle in its key-check loop; NXP's forum answer on
 *   mifare.net: "The select process should be done every time the authentication process
 *   fails". `afterFailure: 'lenient'` keeps the old behaviour (a failure only drops the
 *   authentication), for users whose reader reselects by itself.
 * - Authentication opens one sector and commands run only after it (8.2.4, 8.7.1); the access
 *   rules of Tables 7 and 8, key A reading as zeros, the blocked sector of 8.7.1 and key B that
 *   cannot serve where readable (Table 8 note [1]) are in mf1s50Access.ts. Block 0 is read-only
 *   (8.6.1).
 * - The UID follows its kind (uidKinds.ts: fixed 4/7-byte, random ID, NUID; AN10927).
 * Fault injection (STYLE.md): pull the card after N operations, fail one chosen operation, corrupt
 * the data of one read, tear one write part-way (a mix of old and new bytes, then the card leaves
 * the field). Counters of authentications, reads, writes, refusals, commands to a silent chip and
 * re-activations; memory as 64 hex blocks.
 */
import { CardError, type CardErrorCode, type KeyType, type MifareClassicCard } from '../transport/card.js';
import { bytesEqual, toHex, tryFromHex } from '../codec/hex.js';
import { manufacturerBlock } from '../card/layout.js';
import { transportTrailer } from '../card/trailer.js';
import { argumentError, needBytesOfLength, needOptions } from '../codec/guard.js';
import { keyMatches, SectorRulesCache, trailerView, type SectorRules } from './mf1s50Access.js';
import { CardFaults } from './cardFaults.js';
import { BlockSlab } from './blockSlab.js';
import { checkUid, newRandomId, platformRandom, type UidKind } from './uidKinds.js';
import type { AfterFailure, OperationCounters, OperationRecord, VirtualCardOptions } from './virtualCardOptions.js';

export type { AfterFailure, OperationCounters, OperationRecord, VirtualCardOptions } from './virtualCardOptions.js';
export const BLOCKS_1K = 64;
const BLOCK = 16;
const DONE = Promise.resolve(); // every successful authentication's result

export class VirtualMifareClassic1K implements MifareClassicCard {
  readonly counters: OperationCounters = { operations: 0, auths: 0, reads: 0, writes: 0, refused: 0, silent: 0, reactivations: 0 };
  readonly log: OperationRecord[] = []; // every operation, when created with { log: true }
  readonly afterFailure: AfterFailure;
  readonly uidKind: UidKind;
  readonly fixedUid: Uint8Array; // the UID in block 0 (a random-ID card reports another)
  private reported: Uint8Array;
  private readonly random: (n: number) => Uint8Array;
  private readonly memory = new Uint8Array(BLOCKS_1K * BLOCK);
  private readonly logging: boolean;
  /** The authenticated sector (-1: none) and its key: two fields, not an object per authentication. */
  private sessionSector = -1;
  private sessionKey: KeyType = 'A';
  /** Each sector's access rules, decoded again only when its trailer's access bytes change. */
  private readonly sectorRules = new SectorRulesCache(this.memory);
  private mute = false;
  private inField = true;
  private readonly faults = new CardFaults();
  private readonly reads = new BlockSlab();
  private readonly removalListeners: Array<() => void> = [];

  /** A blank card (spec section 3): block 0 from the UID, data zero, transport trailers. */
  constructor(uid: Uint8Array | string = '04a1b2c3', opts: VirtualCardOptions = {}) {
    if (typeof uid !== 'string') needBytesOfLength('VirtualMifareClassic1K', 'uid', uid, [4, 7]);
    needOptions('VirtualMifareClassic1K', 'opts', opts);
    this.uidKind = opts.uidKind ?? 'fixed';
    this.afterFailure = opts.afterFailure ?? 'stay-silent';
    if (this.afterFailure !== 'stay-silent' && this.afterFailure !== 'lenient') throw argumentError('VirtualMifareClassic1K', 'opts.afterFailure', "'stay-silent' or 'lenient'", this.afterFailure);
    this.fixedUid = checkUid(typeof uid === 'string' ? parseHex(uid, 'uid') : uid, this.uidKind);
    this.random = opts.random ?? platformRandom;
    this.reported = this.uidKind === 'random-id' ? newRandomId(this.random) : this.fixedUid;
    this.logging = opts.log ?? false;
    this.memory.set(manufacturerBlock(this.fixedUid), 0);
    for (let s = 0; s < 16; s++) this.memory.set(transportTrailer(), (s * 4 + 3) * BLOCK);
  }

  /** The UID the card reports at this activation (a random-ID card: a new one each time). */
  get uid(): Uint8Array {
    return this.reported;
  }

  /** A card holding `blocks` (64 blocks, hex or bytes). The UID is taken from block 0 unless given. */
  static fromBlocks(blocks: ReadonlyArray<string | Uint8Array>, opts: VirtualCardOptions & { uid?: Uint8Array | string } = {}): VirtualMifareClassic1K {
    const data = blocks.map((b, i) => (typeof b === 'string' ? parseHex(b, `block ${i}`) : b));
    let uid = opts.uid;
    if (uid === undefined) {
      const b0 = data[0] ?? new Uint8Array(BLOCK);
      uid = (b0[0] ^ b0[1] ^ b0[2] ^ b0[3]) === b0[4] ? b0.slice(0, 4) : b0.slice(0, 7);
    }
    const card = new VirtualMifareClassic1K(uid, opts);
    card.importBlocks(data);
    return card;
  }

  /** The whole memory, keys included, as 64 lower-case hex blocks. */
  exportBlocks(): string[] {
    return Array.from({ length: BLOCKS_1K }, (_, i) => toHex(this.memory.subarray(i * BLOCK, i * BLOCK + BLOCK)));
  }

  /** Replaces the whole memory (64 blocks, hex or bytes), as a card programmer would. */
  importBlocks(blocks: ReadonlyArray<string | Uint8Array>): void {
    if (blocks.length !== BLOCKS_1K) throw new RangeError(`expected ${BLOCKS_1K} blocks, got ${blocks.length}`);
    blocks.forEach((b, i) => {
      const bytes = typeof b === 'string' ? parseHex(b, `block ${i}`) : b;
      if (bytes.length !== BLOCK) throw new RangeError(`block ${i}: ${bytes.length} bytes`);
      this.memory.set(bytes, i * BLOCK);
    });
    this.sessionSector = -1;
  }

  /** A copy of one block straight from memory (no access check). */
  peek(block: number): Uint8Array {
    return this.memory.slice(block * BLOCK, block * BLOCK + BLOCK);
  }

  /** True when the sector's access bits fail the inverted-copy check (blocked for ever). */
  isSectorBlocked(sector: number): boolean {
    return this.sectorRules.of(sector) === undefined;
  }

  get present(): boolean {
    return this.inField; // in the reader's field (see remove, reinsert)
  }

  /** True while the chip answers nothing after a failure (until re-activated). */
  get silent(): boolean {
    return this.mute;
  }

  /** Takes the card out of the field: every operation fails with CARD_REMOVED. */
  remove(): void {
    if (!this.inField) return;
    this.inField = false;
    this.sessionSector = -1;
    this.faults.cardRemoved();
    for (const l of this.removalListeners) l();
  }

  /**
   * Field reset and reselect (MifareClassicCard.reactivate): the chip powers up in IDLE, answers
   * the activation and is not authenticated. A random-ID card answers with a new UID: UID_CHANGED.
   */
  async reactivate(): Promise<void> {
    if (!this.inField) throw new CardError('CARD_REMOVED', 'no card in the field');
    const before = this.reported;
    this.activate();
    if (!bytesEqual(before, this.reported)) {
      throw new CardError('UID_CHANGED', `after re-activation the card answers with UID ${toHex(this.reported)}, not ${toHex(before)} (a random-ID card)`);
    }
  }

  /** Puts the card back into the field: a power-on reset, so not silent and not authenticated. */
  reinsert(): void {
    this.inField = true;
    this.activate();
  }

  /** Called when the card leaves the field (also by `pullAfter` and a torn write). */
  onRemoved(listener: () => void): void {
    this.removalListeners.push(listener);
  }

  /** The card leaves the field after `n` more operations have completed. */
  pullAfter(n: number): void {
    this.faults.pullAt = this.counters.operations + n;
    if (n <= 0) this.remove();
  }

  /** The `n`-th operation from now (1-based) fails with `code`, without effect; the card stays. */
  failOperation(n: number, code: CardErrorCode = 'IO'): void {
    this.faults.failOperation(this.counters.operations + n, code);
  }

  /** If the `n`-th operation from now is a read, byte `byte` of its result is XORed with `xor`. */
  corruptRead(n: number, byte = 0, xor = 0x01): void {
    this.faults.corruptRead(this.counters.operations + n, byte, xor);
  }

  /**
   * If the `n`-th operation from now (1-based) is a write that the chip accepts, it is torn: the
   * block keeps its old bytes except where `cut` says new (a number c: bytes 0..c-1 new; or a
   * 16-entry mask), then the card leaves the field and the write fails with CARD_REMOVED. For a
   * trailer only the parts the key may write take part; a torn trailer whose access bits fail
   * the inverted-copy check blocks its sector for ever (datasheet 8.7.1).
   */
  tearWrite(n: number, cut: number | readonly boolean[]): void {
    this.faults.tearWrite(this.counters.operations + n, cut);
  }

  /** Not `async`: a success resolves one shared promise (an async function made one per call, 48
   *  bytes of a gate's tap); a refusal is still a rejection, never a throw. */
  authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void> {
    try {
      this.auth(block, keyType, key);
      return DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private auth(block: number, keyType: KeyType, key: Uint8Array): void {
    const n = this.begin('auth', block, keyType);
    const sector = block >> 2;
    if (key.length !== 6) this.refuse(n, 'BAD_BLOCK', 'a MIFARE Classic key is 6 bytes', block);
    if (this.sectorRules.of(sector) === undefined) this.refuse(n, 'AUTH_FAILED', `sector ${sector} is blocked: its access bits fail the check`, block);
    if (!keyMatches(this.memory, sector, keyType, key)) this.refuse(n, 'AUTH_FAILED', `key ${keyType} does not authenticate sector ${sector}`, block);
    this.sessionSector = sector;
    this.sessionKey = keyType;
    this.finish(n);
  }

  /** Data blocks: a copy of the stored bytes, the caller's to keep (blockSlab.ts). */
  async readBlock(block: number): Promise<Uint8Array> {
    const n = this.begin('read', block);
    const rules = this.access(n, block);
    const keyType = this.sessionKey;
    const offset = block & 3;
    let data: Uint8Array;
    if (offset === 3) data = trailerView(this.peek(block), rules.conditions, keyType);
    else if (rules.read[keyType][offset]) data = this.reads.copy(this.memory, block * BLOCK);
    else this.refuse(n, 'ACCESS_DENIED', `key ${keyType} may not read block ${block}`, block, block >> 2);
    this.faults.applyCorruption(n, data);
    this.finish(n);
    return data;
  }

  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    const n = this.begin('write', block);
    if (data.length !== BLOCK) this.refuse(n, 'BAD_BLOCK', `a block is 16 bytes, not ${data.length}`, block);
    const rules = this.access(n, block);
    const keyType = this.sessionKey;
    const sector = block >> 2;
    const offset = block & 3;
    if (block === 0) this.refuse(n, 'ACCESS_DENIED', 'block 0 (manufacturer data) is read-only', block, 0);
    const writable = rules.write[keyType][offset];
    if (!writable) this.refuse(n, 'ACCESS_DENIED', `key ${keyType} may not write ${offset === 3 ? `the trailer of sector ${sector}` : `block ${block}`}`, block, sector);
    const torn = this.faults.tearMask(n);
    for (let i = 0; i < BLOCK; i++) if (writable[i] && (torn === undefined || torn[i])) this.memory[block * BLOCK + i] = data[i];
    if (torn) {
      this.remove();
      throw new CardError('CARD_REMOVED', `the card left the field during the write of block ${block} (torn write)`, { block, sector });
    }
    this.finish(n);
  }

  /** Power-up or reselect: IDLE -> ACTIVE, nothing authenticated; a random ID is drawn again. */
  private activate(): void {
    this.counters.reactivations++;
    this.mute = false;
    this.sessionSector = -1;
    if (this.uidKind === 'random-id') this.reported = newRandomId(this.random);
  }

  /** Counts the operation and applies silence and the injected faults; returns its number. */
  private begin(op: OperationRecord['op'], block: number, keyType?: KeyType): number {
    if (!this.inField) throw new CardError('CARD_REMOVED', 'no card in the field', { block });
    const { pullAt } = this.faults;
    if (pullAt !== undefined && this.counters.operations >= pullAt) {
      this.remove();
      throw new CardError('CARD_REMOVED', 'the card left the field', { block });
    }
    const n = ++this.counters.operations;
    if (op === 'auth') this.counters.auths++;
    else if (op === 'read') this.counters.reads++;
    else this.counters.writes++;
    if (this.logging) this.log.push(keyType ? { op, block, keyType } : { op, block });
    if (this.mute) {
      this.counters.silent++;
      this.refuse(n, 'CARD_SILENT', `the card is silent after an earlier failure: re-activate it before the ${op} of block ${block}`, block);
    }
    if (!Number.isInteger(block) || block < 0 || block >= BLOCKS_1K) this.refuse(n, 'BAD_BLOCK', `block ${block} is not on a 1K card`, block);
    const injected = this.faults.takeFailure(n);
    if (injected) this.refuse(n, injected, `injected fault on operation ${n}`, block);
    return n;
  }

  private finish(n: number): void {
    const { pullAt } = this.faults;
    if (pullAt !== undefined && n >= pullAt) this.remove();
  }

  /** The rules of the authenticated sector for an access to `block` (the key is sessionKey), or a refusal. */
  private access(n: number, block: number): SectorRules {
    const sector = block >> 2;
    if (this.sessionSector !== sector) this.refuse(n, 'NOT_AUTHENTICATED', `sector ${sector} is not authenticated`, block, sector);
    const rules = this.sectorRules.of(sector);
    if (!rules) this.refuse(n, 'ACCESS_DENIED', `sector ${sector} is blocked: its access bits fail the check`, block, sector);
    if (this.sessionKey === 'B' && rules.keyBUnusable) this.refuse(n, 'ACCESS_DENIED', `key B of sector ${sector} is readable, so it cannot serve for authentication`, block, sector);
    return rules;
  }

  /** Refuses the operation: the chip answers NAK (or nothing) and leaves the authenticated state; strict: it goes silent. */
  private refuse(n: number, code: CardErrorCode, message: string, block: number, sector?: number): never {
    this.sessionSector = -1;
    this.counters.refused++;
    if (this.afterFailure === 'stay-silent') this.mute = true;
    if (this.logging && this.log.length) this.log[this.log.length - 1].error = code;
    this.finish(n);
    throw new CardError(code, message, { block, sector: sector ?? (Number.isInteger(block) && block >= 0 ? block >> 2 : undefined) });
  }
}

function parseHex(text: string, what: string): Uint8Array {
  const b = tryFromHex(text);
  if (!b) throw new TypeError(`${what}: not hex: ${JSON.stringify(text)}`);
  return b;
}
