/**
 * A working session on one presented MIFARE Classic card (MF1S50 datasheet section 9, "Memory
 * operations"), shared by the encoder, voidCard and the readers: it counts every command, remembers
 * which sector is authenticated (so a run of blocks in one sector costs one authentication), and
 * refuses any block outside the HMSK sectors 0-5, because sectors 6-15 belong to other
 * applications and are never touched (spec section 3).
 */
import { bytesEqual, toHex } from '../codec/hex.js';
import { isCardError, type KeyType, type MifareClassicCard } from '../transport/card.js';
import { sectorOf } from './layout.js';

/** Highest block an HMSK card may touch: the trailer of sector 5. */
const LAST_HMSK_BLOCK = 23;

export interface SectorKey {
  keyType: KeyType;
  key: Uint8Array;
}

export class CardSession {
  operations = 0;
  auths = 0;
  reads = 0;
  writes = 0;
  private authed: { sector: number; keyType: KeyType; key: Uint8Array } | undefined;

  constructor(readonly card: MifareClassicCard) {}

  private guard(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block > LAST_HMSK_BLOCK) {
      throw new RangeError(`block ${block} is outside the HMSK sectors 0-5 (sectors 6-15 are never touched)`);
    }
  }

  /** One authentication, always sent. Any failure drops the authenticated state (datasheet 9.1). */
  async authenticate(block: number, k: SectorKey): Promise<void> {
    this.guard(block);
    this.authed = undefined;
    this.operations++;
    this.auths++;
    await this.card.authenticate(block, k.keyType, k.key);
    this.authed = { sector: sectorOf(block), keyType: k.keyType, key: k.key };
  }

  /** Authenticates the sector of `block` with `k` unless that is the current authentication. */
  async ensure(block: number, k: SectorKey): Promise<void> {
    const a = this.authed;
    if (a && a.sector === sectorOf(block) && a.keyType === k.keyType && bytesEqual(a.key, k.key)) return;
    await this.authenticate(block, k);
  }

  /** True when `k` authenticates the sector of `block`; false on AUTH_FAILED, throws otherwise. */
  async tryAuthenticate(block: number, k: SectorKey): Promise<boolean> {
    try {
      await this.authenticate(block, k);
      return true;
    } catch (e) {
      if (isCardError(e) && e.code === 'AUTH_FAILED') return false;
      throw e;
    }
  }

  async read(block: number): Promise<Uint8Array> {
    this.guard(block);
    this.operations++;
    this.reads++;
    try {
      return await this.card.readBlock(block);
    } catch (e) {
      this.authed = undefined;
      throw e;
    }
  }

  async write(block: number, data: Uint8Array): Promise<void> {
    this.guard(block);
    this.operations++;
    this.writes++;
    try {
      await this.card.writeBlock(block, data);
    } catch (e) {
      this.authed = undefined;
      throw e;
    }
  }

  /** Forget the authentication (after a trailer write changed the sector's keys). */
  forget(): void {
    this.authed = undefined;
  }
}

/** A short, non-secret description of a block for messages: its first bytes. */
export function preview(block: Uint8Array): string {
  return toHex(block.subarray(0, 6)) + '…';
}
