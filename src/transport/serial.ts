/**
 * A byte link to a serial device (RS-232 / USB CDC at 9600 8N1 for the MSR206 family), as the
 * drivers in src/drivers/msr use it, plus an in-memory pair for tests with fault injection. Types
 * and pure code only: the serialport adapter lives in src/drivers/msr/serialportLink.ts.
 */

export interface SerialLink {
  /** Sends bytes; resolves when they are handed to the OS (drained). */
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to received bytes, in arrival order; returns the unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  close(): Promise<void>;
}

/** Faults a memory link can inject on the bytes it delivers to the other end. */
export interface SerialFaults {
  /** Split every delivery into chunks of this many bytes (1 = byte by byte). */
  chunkSize?: number;
  /** XOR this mask into the delivered byte at this running offset (counted over the whole link). */
  corrupt?: { offset: number; xor: number };
  /** Deliver nothing after this many bytes (a cable pulled). */
  cutAfter?: number;
}

/** One end of an in-memory link; `faults` apply to bytes this end delivers to its peer. */
export class MemorySerialLink implements SerialLink {
  private listeners = new Set<(bytes: Uint8Array) => void>();
  private peer?: MemorySerialLink;
  private sent = 0;
  closed = false;
  faults: SerialFaults = {};
  /** Every byte written on this end, for assertions. */
  readonly written: number[] = [];

  static pair(): [MemorySerialLink, MemorySerialLink] {
    const a = new MemorySerialLink();
    const b = new MemorySerialLink();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw Object.assign(new Error('serial link is closed'), { code: 'ECLOSED' });
    this.written.push(...bytes);
    let out = Uint8Array.from(bytes);
    const f = this.faults;
    if (f.corrupt && f.corrupt.offset >= this.sent && f.corrupt.offset < this.sent + out.length) out[f.corrupt.offset - this.sent] ^= f.corrupt.xor;
    if (f.cutAfter !== undefined) out = out.subarray(0, Math.max(0, f.cutAfter - this.sent));
    this.sent += bytes.length;
    const step = f.chunkSize && f.chunkSize > 0 ? f.chunkSize : out.length || 1;
    const peer = this.peer;
    // Deliver asynchronously, like a real port: the writer's promise settles first.
    for (let i = 0; i < out.length; i += step) {
      const chunk = out.slice(i, i + step);
      queueMicrotask(() => peer?.deliver(chunk));
    }
  }

  private deliver(bytes: Uint8Array): void {
    if (this.closed) return;
    for (const l of [...this.listeners]) l(bytes);
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
