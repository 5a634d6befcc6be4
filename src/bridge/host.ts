/**
 * The host side of the serial bridge (firmware-bridge/PROTOCOL.md) as a thin wrapper: bytes from
 * a port go through the pure `feed` (cobs.ts) and `decodeMessage` (messages.ts); messages go out
 * through `encodeMessage` + `encodeFrame`. The port is passed in (STYLE.md: a device is reached
 * through an interface, never opened in a constructor); `openSerialBridge` opens a real one with
 * the optional `serialport` package, loaded only when called.
 */
import { EventEmitter } from 'node:events';
import { BridgeError } from './errors.js';
import { encodeFrame, feed, newFrameState, type FrameState } from './cobs.js';
import { WIRE_ERRORS, decodeMessage, encodeMessage, type BridgeMessage, type GateReason, type WireError } from './messages.js';

/** What the bridge needs of a serial port: a byte stream both ways (serialport's SerialPort fits). */
export interface BridgePort {
  write(data: Uint8Array, cb?: (err?: Error | null) => void): unknown;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  off?(event: string, listener: (...args: never[]) => void): unknown;
  close?(cb?: (err?: Error | null) => void): unknown;
}

export interface CardPresented {
  seq: number;
  uid: Uint8Array;
  gateBlock: Uint8Array;
}

/** A decision as src/codec/gateDecision.ts gives it; `error` must be a gate-block decode code. */
export interface HostDecision {
  allow: boolean;
  reason: GateReason;
  error?: string | null;
}

export interface BridgeHostOptions {
  /** Decides on a presented card; the answer goes back as a decision message with the card's seq. */
  onCard?: (card: CardPresented) => HostDecision | Promise<HostDecision>;
}

/**
 * Events: 'message' (BridgeMessage) for every valid message; 'badFrame' (count) when frames were
 * dropped; 'badMessage' (BridgeError) for a frame whose CRC checked but whose message did not
 * decode; 'error' (BridgeError) for port failures and a failing onCard. Never throws from a
 * 'data' handler: line noise is counted, not fatal.
 */
export class BridgeHost extends EventEmitter {
  private state: FrameState = newFrameState();
  private seq = 0;
  private readonly onData = (chunk: Uint8Array) => this.receive(chunk);
  private readonly onError = (err: Error) => this.emit('error', new BridgeError('PORT', err.message, { cause: err }));

  constructor(
    private readonly port: BridgePort,
    private readonly options: BridgeHostOptions = {},
  ) {
    super();
    port.on('data', this.onData);
    port.on('error', this.onError);
  }

  /** Frames dropped by the receiver so far (CRC or COBS failures). */
  get badFrames(): number {
    return this.state.badFrames;
  }

  /** Feeds received bytes (called by the port's 'data' events; public for tests and other transports). */
  receive(chunk: Uint8Array): void {
    const r = feed(this.state, chunk);
    this.state = r.state;
    if (r.bad) this.emit('badFrame', r.bad);
    for (const payload of r.frames) {
      let msg: BridgeMessage;
      try {
        msg = decodeMessage(payload);
      } catch (e) {
        this.emit('badMessage', e);
        continue;
      }
      this.emit('message', msg);
      if (msg.type === 'card' && this.options.onCard) void this.answer(msg);
    }
  }

  private async answer(card: CardPresented): Promise<void> {
    try {
      const d = await this.options.onCard!(card);
      const error = d.error ?? null;
      if (error !== null && !(WIRE_ERRORS as readonly (string | null)[]).includes(error)) throw new BridgeError('BAD_MESSAGE', `decision error ${error} is not a gate-block decode code`);
      await this.send({ type: 'decision', seq: card.seq, allow: d.allow, reason: d.reason, error: error as WireError | null });
    } catch (e) {
      this.emit('error', e instanceof BridgeError ? e : new BridgeError('PORT', `deciding card seq ${card.seq} failed`, { cause: e }));
    }
  }

  /** Sends a message; `seq` defaults to the host's own counter. Resolves when the port took it. */
  send(m: BridgeMessage | (Omit<BridgeMessage, 'seq'> & { seq?: number })): Promise<void> {
    const seq = m.seq ?? (this.seq = (this.seq + 1) & 0xff);
    const bytes = encodeFrame(encodeMessage({ ...m, seq } as BridgeMessage));
    return new Promise((resolve, reject) => {
      this.port.write(bytes, (err) => (err ? reject(new BridgeError('PORT', err.message, { cause: err })) : resolve()));
    });
  }

  /** Detaches from the port (the caller closes it). */
  detach(): void {
    this.port.off?.('data', this.onData);
    this.port.off?.('error', this.onError);
  }
}

/** Opens a serial device with the optional `serialport` package and attaches a BridgeHost. */
export async function openSerialBridge(path: string, options: BridgeHostOptions & { baudRate?: number } = {}): Promise<{ host: BridgeHost; close: () => Promise<void> }> {
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (e) {
    throw new BridgeError('PORT', 'the optional package serialport is not installed', { cause: e });
  }
  const port = new mod.SerialPort({ path, baudRate: options.baudRate ?? 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(new BridgeError('PORT', `cannot open ${path}: ${err.message}`, { cause: err })) : resolve())));
  const host = new BridgeHost(port as unknown as BridgePort, options);
  const close = () =>
    new Promise<void>((resolve) => {
      host.detach();
      if (!port.isOpen) return resolve();
      port.close(() => resolve());
    });
  return { host, close };
}
