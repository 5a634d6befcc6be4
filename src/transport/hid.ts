/**
 * A link to a USB HID device at report level (the MSR605X encoder, MagTek / ID TECH swipe
 * readers), plus an in-memory pair for tests. Reports are given without the report-ID byte; the
 * node-hid adapter (src/drivers/msr/nodeHidLink.ts) adds and strips it.
 */

export interface HidLink {
  /** Sends one output report (its length is the device's report size, e.g. 64). */
  write(report: Uint8Array): Promise<void>;
  /** Subscribes to input reports; returns the unsubscribe function. */
  onReport(listener: (report: Uint8Array) => void): () => void;
  close(): Promise<void>;
}

/** USB identity and HID usage of a device, as a device list gives it. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string;
  product?: string;
  usagePage?: number;
  usage?: number;
}

/** One end of an in-memory HID link: what one end writes, the other receives as a report. */
export class MemoryHidLink implements HidLink {
  private listeners = new Set<(report: Uint8Array) => void>();
  private peer?: MemoryHidLink;
  closed = false;
  readonly written: Uint8Array[] = [];

  static pair(): [MemoryHidLink, MemoryHidLink] {
    const a = new MemoryHidLink();
    const b = new MemoryHidLink();
    a.peer = b;
    b.peer = a;
    return [a, b];
  }

  async write(report: Uint8Array): Promise<void> {
    if (this.closed) throw Object.assign(new Error('HID link is closed'), { code: 'ECLOSED' });
    const copy = Uint8Array.from(report);
    this.written.push(copy);
    const peer = this.peer;
    queueMicrotask(() => peer?.deliver(copy));
  }

  private deliver(report: Uint8Array): void {
    if (this.closed) return;
    for (const l of [...this.listeners]) l(report);
  }

  onReport(listener: (report: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
