/**
 * MSR605X: the MSR605 command set over USB HID (VID 0x0801, PID 0x0003, usage page 0x0001).
 * Every 64-byte report carries one piece of a command or reply: byte 0 has bit 7 = first packet
 * of a sequence, bit 6 = last packet, bits 0-5 = payload length (0-63); the payload follows. The
 * device pads reports with stale memory, so only `length` bytes count. Framing and unframing are
 * pure; `hidSerialLink` turns a HidLink into the byte link the MSR206 driver runs on.
 */
import type { HidDeviceInfo, HidLink } from '../../transport/hid.js';
import type { SerialLink } from '../../transport/serial.js';
import { needBytes, needObject, needArray, needLink } from '../../codec/guard.js';

export const MSR605X_VENDOR_ID = 0x0801;
export const MSR605X_PRODUCT_ID = 0x0003;
export const MSR605X_USAGE_PAGE = 0x0001;
export const REPORT_SIZE = 64;
const FIRST = 0x80;
const LAST = 0x40;
const MAX_PAYLOAD = 63;

/** Splits bytes into 64-byte reports (zero padding). An empty message is one empty first+last report. */
export function frameReports(bytes: Uint8Array): Uint8Array[] {
  needBytes('frameReports', 'bytes', bytes);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || out.length === 0; at += MAX_PAYLOAD) {
    const len = Math.min(MAX_PAYLOAD, bytes.length - at);
    const r = new Uint8Array(REPORT_SIZE);
    r[0] = (at === 0 ? FIRST : 0) | (at + len >= bytes.length ? LAST : 0) | len;
    r.set(bytes.subarray(at, at + len), 1);
    out.push(r);
  }
  return out;
}

export interface UnframeState {
  /** Inside a sequence (a first packet came, its last not yet). */
  readonly open: boolean;
}

export const initialUnframeState: UnframeState = { open: false };

/**
 * One input report -> its payload bytes (length honoured). A continuation report outside a
 * sequence is dropped (`dropped: true`): it belongs to a reply we are not waiting for.
 */
export function unframeReport(state: UnframeState, report: Uint8Array): { state: UnframeState; bytes: Uint8Array; dropped: boolean } {
  needObject('unframeReport', 'state', state);
  needBytes('unframeReport', 'report', report);
  const h = report[0] ?? 0;
  const first = (h & FIRST) !== 0;
  if (!first && !state.open) return { state, bytes: new Uint8Array(0), dropped: true };
  const len = Math.min(h & 0x3f, Math.max(0, report.length - 1));
  return { state: { open: (h & LAST) === 0 }, bytes: report.slice(1, 1 + len), dropped: false };
}

/** A SerialLink over an MSR605X HidLink: writes are framed, reports unframed into a byte stream. */
export function hidSerialLink(hid: HidLink): SerialLink {
  needLink('hidSerialLink', hid);
  let state = initialUnframeState;
  return {
    async write(bytes) {
      for (const r of frameReports(bytes)) await hid.write(r);
    },
    onData(listener) {
      return hid.onReport((report) => {
        const u = unframeReport(state, report);
        state = u.state;
        if (u.bytes.length) listener(u.bytes);
      });
    },
    close: () => hid.close(),
  };
}

/** Picks MSR605X interfaces from a HID device list (node-hid's devices()). */
export function findMsr605x<T extends HidDeviceInfo>(devices: T[]): T[] {
  needArray('findMsr605x', 'devices', devices);
  return devices.filter((d) => d.vendorId === MSR605X_VENDOR_ID && d.productId === MSR605X_PRODUCT_ID && (d.usagePage === undefined || d.usagePage === MSR605X_USAGE_PAGE));
}
