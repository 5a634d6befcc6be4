/**
 * The host side of the serial bridge (firmware-bridge/PROTOCOL.md) as a thin wrapper over a
 * SerialLink (src/transport/serial.ts): received bytes go through the pure `feed` (cobs.ts) and
 * `decodeMessage` (messages.ts); messages go out through `encodeMessage` + `encodeBridgeFrame`. The link
 * is passed in (STYLE.md: a device is reached through an interface, never opened in a
 * constructor); `openSerialBridge` opens a real port with the serialport adapter of src/drivers
 * (115200 8N1), loaded only when called. Tests use MemorySerialLink pairs or a socat pty.
 */
import { EventEmitter } from 'node:events';
import type { SerialLink } from '../transport/serial.js';
import { BridgeError } from './errors.js';
import { encodeBridgeFrame, feed, newBridgeFrameState, type BridgeFrameState } from './cobs.js';
import { WIRE_ERRORS, decodeMessage, encodeMessage, type BridgeMessage, type WireReason, type WireError } from './messages.js';
import { needString, needOptions, needLink } from '../codec/guard.js';

export interface CardPresented {
  seq: number;
  uid: Uint8Array;
  gateBlock: Uint8Array;
}

/** A decision as src/codec/gateDecision.ts gives it; `error` must be a gate-block decode code. */
export interface HostDecision {
  allow: boolean;
  reason: WireReason;
  error?: string | null;
}

export interface BridgeHostOptions {
  /** Decides on a presented card; the answer goes back as a decision message with the card's seq. */
  onCard?: (card: CardPresented) => HostDecision | Promise<HostDecision>;
}

type Outgoing = BridgeMessage extends infer M ? (M extends BridgeMessage ? Omit<M, 'seq'> & { seq?: number } : never) : never;

/**
 * Events: 'message' (BridgeMessage) for every valid message; 'badFrame' (count) when frames were
 * dropped; 'badMessage' (BridgeError) for a frame whose CRC checked but whose message did not
 * decode; 'error' (BridgeError) when answering a card failed. Line noise is counted, never thrown.
 */
export class BridgeHost extends EventEmitter {
  private state: BridgeFrameState = newBridgeFrameState();
  private seq = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly link: SerialLink,
    private readonly options: BridgeHostOptions = {},
  ) {
    super();
    needLink('BridgeHost', link);
    needOptions('BridgeHost', 'options', options);
    this.unsubscribe = link.onData((chunk) => this.receive(chunk));
  }

  /** Frames dropped by the receiver so far (CRC or COBS failures). */
  get badFrames(): number {
    return this.state.badFrames;
  }

  /** Feeds received bytes (the link's data listener; public for other transports). */
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
      this.emit('error', e instanceof BridgeError ? e : new BridgeError('PORT', `answering card seq ${card.seq} failed`, { cause: e }));
    }
  }

  /** Sends a message; `seq` defaults to the host's own counter. Resolves when the link took it. */
  async send(m: Outgoing): Promise<void> {
    const seq = m.seq ?? (this.seq = (this.seq + 1) & 0xff);
    const bytes = encodeBridgeFrame(encodeMessage({ ...m, seq } as BridgeMessage));
    try {
      await this.link.write(bytes);
    } catch (e) {
      throw new BridgeError('PORT', `write failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  /** Stops listening (the caller closes the link). */
  detach(): void {
    this.unsubscribe();
  }
}

/** Opens a serial device (115200 8N1) with the optional `serialport` package and attaches a BridgeHost. */
export async function openSerialBridge(path: string, options: BridgeHostOptions & { baudRate?: number } = {}): Promise<{ host: BridgeHost; close: () => Promise<void> }> {
  needString('openSerialBridge', 'path', path);
  needOptions('openSerialBridge', 'options', options);
  const { openSerialLink } = await import('../drivers/msr/serialportLink.js');
  let link: SerialLink;
  try {
    link = await openSerialLink(path, { baudRate: options.baudRate ?? 115200 });
  } catch (e) {
    throw new BridgeError('PORT', `cannot open ${path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const host = new BridgeHost(link, options);
  return {
    host,
    close: async () => {
      host.detach();
      await link.close();
    },
  };
}
