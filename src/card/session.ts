/**
 * A working session on one presented MIFARE Classic card (MF1S50 datasheet section 9, "Memory
 * operations"), shared by the encoder, voidCard and the readers: it counts every command, remembers
 * which sector is authenticated (so a run of blocks in one sector costs one authentication), and
 * refuses any block outside the HMSK sectors 0-5, because sectors 6-15 belong to other
 * applications and are never touched (spec section 3).
 *
 * Recovery: after a failed authentication or a refused read or write the chip is silent until it
 * is re-activated (NXP MF1S50yyX/V1 8.2, Fig. 4, and the ISO/IEC 14443-3 state rule; libnfc
 * nfc-mfclassic and mfoc reselect after every failed key: see src/testing/virtualCard.ts). So the
 * session calls `card.reactivate()` before its next command, and counts both.
 */
import { bytesEqual, toHex } from '../codec/hex.js';
import { isCardError, type CardErrorCode, type KeyType, type MifareClassicCard } from '../transport/card.js';
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
  /** Authentications that failed (wrong key, blocked sector, silent card...). */
  failedAuths = 0;
  /** Re-activations sent (field reset + reselect) after a failure. */
  reactivations = 0;
  private needsReactivation = false;
  private authed: { sector: number; keyType: KeyType; key: Uint8Array } | undefined;

  constructor(readonly card: MifareClassicCard) {}

  private guard(block: number): void {
    if (!Number.isInteger(block) || block < 0 || block > LAST_HMSK_BLOCK) {
      throw new RangeError(`block ${block} is outside the HMSK sectors 0-5 (sectors 6-15 are never touched)`);
    }
  }

  /** One authentication, always sent. Any failure drops the authenticated state and silences the chip. */
  async authenticate(block: number, k: SectorKey): Promise<void> {
    this.guard(block);
    this.authed = undefined;
    try {
      await this.command(() => {
        this.auths++;
        return this.card.authenticate(block, k.keyType, k.key);
      });
    } catch (e) {
      this.failedAuths++;
      throw e;
    }
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
    return this.command(() => {
      this.reads++;
      return this.card.readBlock(block);
    });
  }

  async write(block: number, data: Uint8Array): Promise<void> {
    this.guard(block);
    await this.command(() => {
      this.writes++;
      return this.card.writeBlock(block, data);
    });
  }

  /** Re-activates the card now if an earlier command failed (UID_CHANGED and CARD_REMOVED propagate). */
  async recover(): Promise<void> {
    if (!this.needsReactivation) return;
    this.needsReactivation = false;
    this.reactivations++;
    await this.card.reactivate();
  }

  /**
   * Sends one command: re-activates first when the last one failed; any failure marks the chip
   * silent. A chip found silent by a failure the session did not see (another program's command
   * on the same card) is re-activated once and the command sent again.
   */
  private async command<T>(send: () => Promise<T>): Promise<T> {
    await this.recover();
    for (let attempt = 0; ; attempt++) {
      this.operations++;
      try {
        return await send();
      } catch (e) {
        this.authed = undefined;
        if (!(isCardError(e) && e.removed)) this.needsReactivation = true;
        if (attempt === 0 && codeOf(e) === 'CARD_SILENT') {
          await this.recover();
          continue;
        }
        throw e;
      }
    }
  }

  /** Forget the authentication (after a trailer write changed the sector's keys). */
  forget(): void {
    this.authed = undefined;
  }
}

function codeOf(e: unknown): CardErrorCode | undefined {
  return isCardError(e) ? e.code : undefined;
}

/** A short, non-secret description of a block for messages: its first bytes. */
export function preview(block: Uint8Array): string {
  return toHex(block.subarray(0, 6)) + '…';
}
