/**
 * A virtual MIFARE Classic 1K (NXP MF1S50yyX/V1 datasheet): 16 sectors of 4 blocks, per-sector
 * three-pass authentication with key A or B, the access conditions of Tables 7 and 8 enforced on
 * every read and write, for users' own tests (`hmskort/testing`).
 *
 * Chip behaviour modelled (datasheet section in brackets):
 * - Authentication opens one sector; reads and writes outside it fail. A failed authentication, or
 *   any refused command, drops the authenticated state (the card returns to IDLE, 8.2/9.1), so the
 *   reader must authenticate again.
 * - Key A reads back as zeros; key B reads back only where Table 7 lets the key read it, and then
 *   key B "cannot serve for authentication": after authenticating with it every access is refused.
 * - Block 0 (manufacturer block) is read-only (8.6.1).
 * - Access bits are checked on every memory access; a trailer whose inverted copies do not match
 *   blocks its sector irreversibly (8.7): authentication to it fails for ever.
 * - A trailer write changes only the parts (key A, access bits + GPB, key B) that Table 7 lets the
 *   authenticated key write; it is refused only when it may write none of them.
 * Fault injection (STYLE.md): pull the card after N operations, fail one chosen operation, corrupt
 * the data of one read. Counters of authentications, reads and writes; memory as 64 hex blocks.
 */
import { CardError, type CardErrorCode, type KeyType, type MifareClassicCard } from '../transport/card.js';
import { bytesEqual, toHex, tryFromHex } from '../codec/hex.js';
import { manufacturerBlock } from '../card/layout.js';
import { transportTrailer } from '../card/trailer.js';
import { accessBitsValid, dataBlockPermissions, decodeAccessBits, trailerPermissions, type AccessConditions, type KeyRights } from '../card/accessBits.js';
import { needBytesOfLength, needOptions } from '../codec/guard.js';

export const BLOCKS_1K = 64;
const BLOCK = 16;

export interface OperationCounters {
  operations: number;
  auths: number;
  reads: number;
  writes: number;
}

export interface OperationRecord {
  op: 'auth' | 'read' | 'write';
  block: number;
  keyType?: KeyType;
  /** The error code when the operation failed. */
  error?: CardErrorCode;
}

export interface VirtualCardOptions {
  /** Record every operation in `log` (for tests of write order). */
  log?: boolean;
}

/** Conditions of blocks 0-3, or undefined when the inverted copies fail (sector blocked). */
function conditionsOf(trailer: Uint8Array): AccessConditions | undefined {
  const bits = trailer.subarray(6, 9);
  return accessBitsValid(bits) ? decodeAccessBits(bits) : undefined;
}

const allows = (k: KeyRights, t: KeyType) => k[t];

export class VirtualMifareClassic1K implements MifareClassicCard {
  readonly uid: Uint8Array;
  readonly counters: OperationCounters = { operations: 0, auths: 0, reads: 0, writes: 0 };
  /** Every operation, when created with `{ log: true }`. */
  readonly log: OperationRecord[] = [];
  private readonly memory = new Uint8Array(BLOCKS_1K * BLOCK);
  private readonly logging: boolean;
  private session: { sector: number; keyType: KeyType } | undefined;
  private inField = true;
  private pullAt: number | undefined;
  private failAt: { operation: number; code: CardErrorCode } | undefined;
  private corruptAt: { operation: number; byte: number; xor: number } | undefined;
  private readonly removalListeners: Array<() => void> = [];

  /** A blank card (spec section 3): block 0 from the UID, data zero, transport trailers. */
  constructor(uid: Uint8Array | string = '04a1b2c3', opts: VirtualCardOptions = {}) {
    if (typeof uid !== 'string') needBytesOfLength('VirtualMifareClassic1K', 'uid', uid, [4, 7]);
    needOptions('VirtualMifareClassic1K', 'opts', opts);
    this.uid = typeof uid === 'string' ? parseHex(uid, 'uid') : uid.slice();
    this.logging = opts.log ?? false;
    this.memory.set(manufacturerBlock(this.uid), 0);
    for (let s = 0; s < 16; s++) this.memory.set(transportTrailer(), (s * 4 + 3) * BLOCK);
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

  // --- memory --------------------------------------------------------------------------------

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
    this.session = undefined;
  }

  /** A copy of one block straight from memory (no access check). */
  peek(block: number): Uint8Array {
    return this.memory.slice(block * BLOCK, block * BLOCK + BLOCK);
  }

  /** True when the sector's access bits fail the inverted-copy check (blocked for ever). */
  isSectorBlocked(sector: number): boolean {
    return conditionsOf(this.peek(sector * 4 + 3)) === undefined;
  }

  // --- field and faults ---------------------------------------------------------------------

  get present(): boolean {
    return this.inField;
  }

  /** Takes the card out of the field: every operation fails with CARD_REMOVED. */
  remove(): void {
    if (!this.inField) return;
    this.inField = false;
    this.session = undefined;
    this.pullAt = undefined;
    for (const l of this.removalListeners) l();
  }

  /** Field reset and reselect (MifareClassicCard.reactivate): not authenticated afterwards. */
  async reactivate(): Promise<void> {
    if (!this.inField) throw new CardError('CARD_REMOVED', 'no card in the field');
    this.session = undefined;
  }

  /** Puts the card back into the field (fresh: not authenticated). */
  reinsert(): void {
    this.inField = true;
    this.session = undefined;
  }

  /** Called when the card leaves the field (also by `pullAfter`). */
  onRemoved(listener: () => void): void {
    this.removalListeners.push(listener);
  }

  /** The card leaves the field after `n` more operations have completed. */
  pullAfter(n: number): void {
    this.pullAt = this.counters.operations + n;
    if (n <= 0) this.remove();
  }

  /** The `n`-th operation from now (1-based) fails with `code`, without effect; the card stays. */
  failOperation(n: number, code: CardErrorCode = 'IO'): void {
    this.failAt = { operation: this.counters.operations + n, code };
  }

  /** If the `n`-th operation from now is a read, byte `byte` of its result is XORed with `xor`. */
  corruptRead(n: number, byte = 0, xor = 0x01): void {
    this.corruptAt = { operation: this.counters.operations + n, byte, xor };
  }

  // --- MifareClassicCard -----------------------------------------------------------------------

  async authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void> {
    const n = this.begin('auth', block, keyType);
    const sector = block >> 2;
    const trailer = this.peek(sector * 4 + 3);
    const stored = keyType === 'A' ? trailer.subarray(0, 6) : trailer.subarray(10, 16);
    if (key.length !== 6) this.refuse(n, 'BAD_BLOCK', 'a MIFARE Classic key is 6 bytes', block);
    if (conditionsOf(trailer) === undefined) this.refuse(n, 'AUTH_FAILED', `sector ${sector} is blocked: its access bits fail the check`, block);
    if (!bytesEqual(stored, key)) this.refuse(n, 'AUTH_FAILED', `key ${keyType} does not authenticate sector ${sector}`, block);
    this.session = { sector, keyType };
    this.finish(n);
  }

  async readBlock(block: number): Promise<Uint8Array> {
    const n = this.begin('read', block);
    const { keyType, conditions } = this.access(n, block);
    const sector = block >> 2;
    const offset = block & 3;
    let data: Uint8Array;
    if (offset === 3) {
      const t = trailerPermissions(...conditions[3]);
      const stored = this.peek(block);
      data = new Uint8Array(BLOCK); // key A always reads as zeros
      if (allows(t.accessBits.read, keyType)) data.set(stored.subarray(6, 10), 6);
      if (allows(t.keyB.read, keyType)) data.set(stored.subarray(10, 16), 10);
    } else {
      if (!allows(dataBlockPermissions(...conditions[offset]).read, keyType)) this.refuse(n, 'ACCESS_DENIED', `key ${keyType} may not read block ${block}`, block, sector);
      data = this.peek(block);
    }
    if (this.corruptAt?.operation === n) {
      data[this.corruptAt.byte & 15] ^= this.corruptAt.xor;
      this.corruptAt = undefined;
    }
    this.finish(n);
    return data;
  }

  async writeBlock(block: number, data: Uint8Array): Promise<void> {
    const n = this.begin('write', block);
    if (data.length !== BLOCK) this.refuse(n, 'BAD_BLOCK', `a block is 16 bytes, not ${data.length}`, block);
    const { keyType, conditions } = this.access(n, block);
    const sector = block >> 2;
    const offset = block & 3;
    if (block === 0) this.refuse(n, 'ACCESS_DENIED', 'block 0 (manufacturer data) is read-only', block, 0);
    if (offset === 3) {
      const t = trailerPermissions(...conditions[3]);
      const parts: Array<[boolean, number, number]> = [
        [allows(t.keyA.write, keyType), 0, 6],
        [allows(t.accessBits.write, keyType), 6, 10],
        [allows(t.keyB.write, keyType), 10, 16],
      ];
      if (!parts.some(([ok]) => ok)) this.refuse(n, 'ACCESS_DENIED', `key ${keyType} may not write the trailer of sector ${sector}`, block, sector);
      for (const [ok, from, to] of parts) if (ok) this.memory.set(data.subarray(from, to), block * BLOCK + from);
    } else {
      if (!allows(dataBlockPermissions(...conditions[offset]).write, keyType)) this.refuse(n, 'ACCESS_DENIED', `key ${keyType} may not write block ${block}`, block, sector);
      this.memory.set(data, block * BLOCK);
    }
    this.finish(n);
  }

  // --- internals --------------------------------------------------------------------------------

  /** Counts the operation and applies the injected faults; returns its number. */
  private begin(op: OperationRecord['op'], block: number, keyType?: KeyType): number {
    if (!this.inField) throw new CardError('CARD_REMOVED', 'no card in the field', { block });
    if (this.pullAt !== undefined && this.counters.operations >= this.pullAt) {
      this.remove();
      throw new CardError('CARD_REMOVED', 'the card left the field', { block });
    }
    const n = ++this.counters.operations;
    if (op === 'auth') this.counters.auths++;
    else if (op === 'read') this.counters.reads++;
    else this.counters.writes++;
    if (this.logging) this.log.push(keyType ? { op, block, keyType } : { op, block });
    if (!Number.isInteger(block) || block < 0 || block >= BLOCKS_1K) this.refuse(n, 'BAD_BLOCK', `block ${block} is not on a 1K card`, block);
    if (this.failAt?.operation === n) {
      const code = this.failAt.code;
      this.failAt = undefined;
      this.refuse(n, code, `injected fault on operation ${n}`, block);
    }
    return n;
  }

  private finish(n: number): void {
    if (this.pullAt !== undefined && n >= this.pullAt) this.remove();
  }

  /** The session's key and the sector's conditions for an access to `block`, or a refusal. */
  private access(n: number, block: number): { keyType: KeyType; conditions: AccessConditions } {
    const sector = block >> 2;
    if (!this.session || this.session.sector !== sector) this.refuse(n, 'NOT_AUTHENTICATED', `sector ${sector} is not authenticated`, block, sector);
    const conditions = conditionsOf(this.peek(sector * 4 + 3));
    if (!conditions) this.refuse(n, 'ACCESS_DENIED', `sector ${sector} is blocked: its access bits fail the check`, block, sector);
    const keyType = this.session.keyType;
    if (keyType === 'B' && trailerPermissions(...conditions[3]).keyBReadable) this.refuse(n, 'ACCESS_DENIED', `key B of sector ${sector} is readable, so it cannot serve for authentication`, block, sector);
    return { keyType, conditions };
  }

  /** Refuses the operation: the chip answers NAK and drops the authenticated state. */
  private refuse(n: number, code: CardErrorCode, message: string, block: number, sector?: number): never {
    this.session = undefined;
    if (this.logging && this.log.length) this.log[this.log.length - 1].error = code;
    this.finish(n);
    throw new CardError(code, message, { block, sector: sector ?? (block >= 0 ? block >> 2 : undefined) });
  }
}

function parseHex(text: string, what: string): Uint8Array {
  const b = tryFromHex(text);
  if (!b) throw new TypeError(`${what}: not hex: ${JSON.stringify(text)}`);
  return b;
}
