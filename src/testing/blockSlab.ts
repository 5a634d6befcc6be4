/**
 * Fresh 16-byte blocks for a virtual card's reads, cut from a 4 KiB slab, as Node's Buffer pool
 * cuts small Buffers (Buffer.allocUnsafe, lib/buffer.js allocPool). Each block is a caller's own
 * to keep: its bytes are written once, here, and never handed out again; the slab is replaced, not
 * reused, when full. A view costs about 96 bytes of heap and its 16 bytes in the slab; a copy by
 * slice() cost 216 bytes of heap (its own ArrayBuffer), issue 14 item 4. As with a Buffer, the
 * block's `buffer` is the slab: read it through byteOffset and byteLength.
 */
const SLAB = 4096;
const BLOCK = 16;

export class BlockSlab {
  private slab = new ArrayBuffer(0);
  private used = 0;

  /** A new block holding `from[at..at+15]`. */
  copy(from: Uint8Array, at: number): Uint8Array {
    if (this.used + BLOCK > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB);
      this.used = 0;
    }
    const block = new Uint8Array(this.slab, this.used, BLOCK);
    this.used += BLOCK;
    for (let i = 0; i < BLOCK; i++) block[i] = from[at + i];
    return block;
  }
}
