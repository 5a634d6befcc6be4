/**
 * SerialLink on the `serialport` package (an optional dependency, loaded only when a port is
 * opened): 9600 baud, 8 data bits, no parity, 1 stop bit, as the MSR206/MSR605 manuals specify.
 * Also port listing, which falls back to /dev entries where serialport's list rejects (its Linux
 * lister runs udevadm, absent in minimal containers).
 */
import { readdir } from 'node:fs/promises';
import type { SerialLink } from '../../transport/serial.js';
import { MsrError } from './errors.js';
import { needString, needOptions } from '../../codec/guard.js';

export interface SerialOpenOptions {
  baudRate?: number;
}

/** Opens a serial port (or a pty) as a SerialLink. */
export async function openSerialLink(path: string, opts: SerialOpenOptions = {}): Promise<SerialLink> {
  needString('openSerialLink', 'path', path);
  needOptions('openSerialLink', 'opts', opts);
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (e) {
    throw new MsrError('IO', 'the optional dependency serialport is not installed (npm install serialport)', { cause: e });
  }
  const port = new mod.SerialPort({ path, baudRate: opts.baudRate ?? 9600, dataBits: 8, parity: 'none', stopBits: 1, autoOpen: false });
  await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
  // serialport emits 'error' for link failures; without a listener Node would throw it.
  port.on('error', () => undefined);
  return {
    write: (bytes) =>
      new Promise<void>((res, rej) => {
        port.write(Buffer.from(bytes), (e) => (e ? rej(e) : port.drain((e2) => (e2 ? rej(e2) : res()))));
      }),
    onData(listener) {
      const h = (d: Buffer) => listener(new Uint8Array(d.buffer, d.byteOffset, d.length));
      port.on('data', h);
      return () => void port.off('data', h);
    },
    close: () => new Promise<void>((res) => (port.isOpen ? port.close(() => res()) : res())),
  };
}

export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
  /** 'serialport' when the package listed it, 'dev' when found in /dev by the fallback. */
  source: 'serialport' | 'dev';
}

/** Names under /dev that are serial devices on Linux (UARTs, USB CDC/ACM, USB-serial, Bluetooth). */
const DEV_SERIAL = /^(ttyS\d+|ttyUSB\d+|ttyACM\d+|ttyAMA\d+|ttyXRUSB\d+|rfcomm\d+|cu\..+|tty\.usb.+)$/;

export interface ListDeps {
  /** serialport's list (injected by tests). */
  list?: () => Promise<{ path: string; manufacturer?: string; vendorId?: string; productId?: string }[]>;
  /** Directory listing of /dev (injected by tests). */
  readDev?: () => Promise<string[]>;
}

/** Lists serial ports; never rejects because serialport's lister failed. */
export async function listSerialPorts(deps: ListDeps = {}): Promise<SerialPortEntry[]> {
  needOptions('listSerialPorts', 'deps', deps);
  try {
    const list = deps.list ?? (await import('serialport')).SerialPort.list;
    const ports = await list();
    return ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer, vendorId: p.vendorId, productId: p.productId, source: 'serialport' as const }));
  } catch {
    const names = await (deps.readDev ?? (() => readdir('/dev')))().catch(() => [] as string[]);
    return names
      .filter((n) => DEV_SERIAL.test(n))
      .sort()
      .map((n) => ({ path: `/dev/${n}`, source: 'dev' as const }));
  }
}
