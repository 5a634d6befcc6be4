/**
 * Test doubles for HID magnetic-stripe devices, written from their manuals:
 *  - the MSR605X USB side: the MSR605 emulator behind 64-byte reports (byte 0: bit 7 first packet,
 *    bit 6 last packet, bits 0-5 length), padding each report with stale bytes as the device does;
 *  - MagTek / ID TECH swipe-reader input reports (MagTek USB HID Swipe Reader manual "Card data";
 *    ID TECH "Reader Data Structure");
 *  - a fake node-hid device (the on/off/write/close of HIDAsync) over an in-memory HID link.
 */
import { EventEmitter } from 'node:events';
import { MemoryHidLink, type HidLink } from '../transport/hid.js';
import type { Msr605Emulator } from './msr605Emulator.js';
import { needObject, needOptions, needInteger, needArray, needLink } from '../codec/guard.js';

/** Connects the emulator to the device end of a HID link, as an MSR605X. */
export function attachMsr605xHid(emu: Msr605Emulator, link: HidLink, opts: { stalePadding?: boolean } = {}): () => void {
  needObject('attachMsr605xHid', 'emu', emu);
  needLink('attachMsr605xHid', link);
  needOptions('attachMsr605xHid', 'opts', opts);
  const stale = opts.stalePadding ?? true;
  let last = new Uint8Array(64).fill(0xa5);
  const offIn = link.onReport((r) => {
    const len = Math.min(r[0] & 0x3f, 63);
    emu.receive(r.subarray(1, 1 + len));
  });
  const offOut = emu.onSend((bytes) => {
    for (let at = 0; at < bytes.length; at += 63) {
      const len = Math.min(63, bytes.length - at);
      const r = stale ? Uint8Array.from(last) : new Uint8Array(64);
      r[0] = (at === 0 ? 0x80 : 0) | (at + len >= bytes.length ? 0x40 : 0) | len;
      r.set(bytes.subarray(at, at + len), 1);
      last = r;
      void link.write(r);
    }
  });
  return () => (offIn(), offOut());
}

/** A fake node-hid HIDAsync whose other side is `peer` (an in-memory HID link end). */
export class FakeNodeHidDevice extends EventEmitter {
  readonly peer: MemoryHidLink;
  private readonly mine: MemoryHidLink;
  closed = false;
  /** Raw buffers passed to write(), report ID included. */
  readonly writes: Buffer[] = [];

  constructor() {
    super();
    [this.mine, this.peer] = MemoryHidLink.pair();
    this.mine.onReport((r) => this.emit('data', Buffer.from(r)));
  }

  async write(values: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('device closed');
    const b = Buffer.from(values);
    this.writes.push(b);
    await this.mine.write(b.subarray(1)); // drop the report ID, as the OS does for a device without IDs
    return b.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.mine.close();
  }
}

export interface ReaderTrack {
  data?: string;
  failed?: boolean;
}

/** A MagTek swipe-reader input report: 3 status, 3 lengths, encode type, 3 x 110 bytes. */
export function magtekReport(tracks: ReaderTrack[], encodeType = 0, fill = 0x00): Uint8Array {
  needArray('magtekReport', 'tracks', tracks);
  needInteger('magtekReport', 'encodeType', encodeType, 0, 255);
  needInteger('magtekReport', 'fill', fill, 0, 255);
  const r = new Uint8Array(337).fill(fill, 7);
  r.fill(0, 0, 7);
  for (let i = 0; i < 3; i++) {
    const t = tracks[i] ?? {};
    r[i] = t.failed ? 1 : 0;
    const d = t.failed ? '' : (t.data ?? '');
    r[3 + i] = d.length;
    for (let j = 0; j < d.length; j++) r[7 + 110 * i + j] = d.charCodeAt(j);
  }
  r[6] = encodeType;
  return r;
}

/** An ID TECH-format input report: 7 header bytes, total length (little-endian), tracks back to back, 500 data bytes. */
export function idtechReport(tracks: ReaderTrack[], encodeType = 0): Uint8Array {
  needArray('idtechReport', 'tracks', tracks);
  needInteger('idtechReport', 'encodeType', encodeType, 0, 255);
  const r = new Uint8Array(9 + 500);
  let text = '';
  for (let i = 0; i < 3; i++) {
    const t = tracks[i] ?? {};
    r[i] = t.failed ? 1 : 0;
    const d = t.failed ? '' : (t.data ?? '');
    r[3 + i] = d.length;
    text += d;
  }
  r[6] = encodeType;
  r[7] = text.length & 0xff;
  r[8] = text.length >> 8;
  for (let j = 0; j < text.length; j++) r[9 + j] = text.charCodeAt(j);
  return r;
}
