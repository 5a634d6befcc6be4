/**
 * The fault plan of a virtual card (STYLE.md: in-memory devices with fault injection): which
 * operation fails, which read comes back corrupted, which write is torn, when the card leaves the
 * field. Operation numbers are the card's own 1-based count of commands.
 */
import type { CardErrorCode } from '../transport/card.js';

const BLOCK = 16;

export class CardFaults {
  /** The card leaves the field once this many operations have completed. */
  pullAt: number | undefined;
  private failAt: { operation: number; code: CardErrorCode } | undefined;
  private corruptAt: { operation: number; byte: number; xor: number } | undefined;
  private tear: { operation: number; mask: boolean[] } | undefined;

  /** The card left the field: a planned pull or tear is over. */
  cardRemoved(): void {
    this.pullAt = undefined;
    this.tear = undefined;
  }

  failOperation(operation: number, code: CardErrorCode): void {
    this.failAt = { operation, code };
  }

  corruptRead(operation: number, byte: number, xor: number): void {
    this.corruptAt = { operation, byte, xor };
  }

  /** `cut`: bytes 0..cut-1 take the new value; or a 16-entry mask of the bytes that do. */
  tearWrite(operation: number, cut: number | readonly boolean[]): void {
    const mask = typeof cut === 'number' ? Array.from({ length: BLOCK }, (_, i) => i < cut) : [...cut];
    if (mask.length !== BLOCK) throw new RangeError(`a tear mask has ${BLOCK} entries, got ${mask.length}`);
    this.tear = { operation, mask };
  }

  /** The injected failure of operation `n`, once. */
  takeFailure(n: number): CardErrorCode | undefined {
    if (this.failAt?.operation !== n) return undefined;
    const code = this.failAt.code;
    this.failAt = undefined;
    return code;
  }

  /** Corrupts the data of read `n` when planned. */
  applyCorruption(n: number, data: Uint8Array): void {
    if (this.corruptAt?.operation !== n) return;
    data[this.corruptAt.byte & 15] ^= this.corruptAt.xor;
    this.corruptAt = undefined;
  }

  /** The bytes write `n` stores before it is cut, or undefined when it is not torn. */
  tearMask(n: number): boolean[] | undefined {
    return this.tear?.operation === n ? this.tear.mask : undefined;
  }
}
