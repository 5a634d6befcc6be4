/**
 * HidLink on node-hid (an optional dependency, loaded only when a device is opened). node-hid's
 * write wants the report ID as the first byte (0x00 for devices without report IDs, as the MSR605X
 * and the MagTek readers are); input reports arrive without it.
 */
import type { HidDeviceInfo, HidLink } from '../../transport/hid.js';
import { MsrError } from './errors.js';
import { needString } from '../../codec/guard.js';

/** The part of node-hid's HIDAsync this adapter uses (a fake device implements just this). */
export interface NodeHidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off(event: 'data', listener: (data: Buffer) => void): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

/** Wraps an opened node-hid device (or a fake with the same interface). */
export function hidLinkFromNodeHid(dev: NodeHidDevice, opts: { reportId?: number } = {}): HidLink {
  const reportId = opts.reportId ?? 0;
  const errors: Error[] = [];
  dev.on('error', (e) => void errors.push(e)); // surfaced by the next write
  return {
    async write(report) {
      if (errors.length) throw new MsrError('IO', `HID device error: ${errors[0].message}`, { cause: errors.shift() });
      const buf = Buffer.alloc(report.length + 1);
      buf[0] = reportId;
      buf.set(report, 1);
      const n = await dev.write(buf);
      if (n < buf.length) throw new MsrError('IO', `HID write sent ${n} of ${buf.length} bytes`);
    },
    onReport(listener) {
      const h = (d: Buffer) => listener(new Uint8Array(d.buffer, d.byteOffset, d.length));
      dev.on('data', h);
      return () => void dev.off('data', h);
    },
    close: () => dev.close(),
  };
}

async function nodeHid(): Promise<typeof import('node-hid')> {
  try {
    return await import('node-hid');
  } catch (e) {
    throw new MsrError('IO', 'the optional dependency node-hid is not installed (npm install node-hid)', { cause: e });
  }
}

/** Lists HID devices through node-hid; [] where it cannot enumerate. */
export async function listHidDevices(): Promise<(HidDeviceInfo & { path?: string })[]> {
  try {
    return (await (await nodeHid()).devicesAsync()).map((d) => ({ vendorId: d.vendorId, productId: d.productId, path: d.path, product: d.product, usagePage: d.usagePage, usage: d.usage }));
  } catch {
    return [];
  }
}

/** Opens a HID device by path as a HidLink. */
export async function openNodeHidLink(path: string): Promise<HidLink> {
  needString('openNodeHidLink', 'path', path);
  const dev = await (await nodeHid()).HIDAsync.open(path);
  return hidLinkFromNodeHid(dev as unknown as NodeHidDevice);
}
