/**
 * An Evolis printer on the network: a TCP connection carrying the same ESC ... CR frames and text
 * replies as USB. libevolis accepts `socket://<ip>` with a port compiled in (S8 l.994-1010, S5
 * strings); that port is not published [UNK] (evolis.md §1: 9100 is plausible, not verified), so
 * our URL requires it (url.ts). One connection, one command at a time; bytes that arrive outside an
 * exchange (a late reply to a command that timed out) are dropped, so they cannot be taken for the
 * next command's reply, unless they arrive after the next frame was sent: after a time-out the
 * printer's state is unknown anyway and the caller should ask for status.
 *
 * States: connected -> lost (the printer or the network closed the connection; the command in
 * flight fails with IO) -> connected again at the next command (one new connection, within the
 * connect time-out: a printer that drops idle connections does not stop a long batch) ->
 * closed (close(): final).
 */
import { connect, type Socket } from 'node:net';
import { needInteger, needOptions, needString } from '../../codec/guard.js';
import { waitFor } from '../../transport/wait.js';
import { PrinterError } from './errors.js';
import { readReply, type ExchangeOptions, type PrinterLink } from './link.js';

export interface TcpLinkOptions {
  /** How long to wait for the connection (default 5000 ms). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

/** One connection, with a time-out; IO or TIMEOUT naming the address. */
function connectTo(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  const where = `${host}:${port}`;
  return waitFor<Socket>({
    what: `a connection to the printer at ${where}`,
    timeoutMs,
    signal,
    timeoutError: (ms) => new PrinterError('TIMEOUT', `no connection to the printer at ${where} within ${ms} ms`),
    subscribe(resolve, reject) {
      const s = connect({ host, port });
      let ok = false;
      const onError = (e: Error) => reject(new PrinterError('IO', `cannot connect to the printer at ${where}: ${e.message}`, { cause: e }));
      s.once('connect', () => {
        ok = true;
        resolve(s);
      });
      s.once('error', onError);
      return () => {
        s.off('error', onError);
        if (!ok) s.destroy();
      };
    },
  });
}

export async function openTcpLink(host: string, port: number, opts: TcpLinkOptions = {}): Promise<PrinterLink> {
  needString('openTcpLink', 'host', host);
  needInteger('openTcpLink', 'port', port, 1, 65535);
  needOptions('openTcpLink', 'opts', opts);
  const connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
  const link = new TcpLink(() => connectTo(host, port, connectTimeoutMs), `${host}:${port}`);
  link.attach(await connectTo(host, port, connectTimeoutMs, opts.signal));
  return link;
}

type State = 'connected' | 'lost' | 'closed';

class TcpLink implements PrinterLink {
  private state: State = 'lost';
  private socket: Socket | undefined;
  private onBytes: ((chunk: Uint8Array) => void) | undefined;
  private onError: ((err: Error) => void) | undefined;
  private busy = false;

  constructor(
    private readonly reconnect: () => Promise<Socket>,
    private readonly where: string,
  ) {}

  attach(socket: Socket): void {
    this.socket = socket;
    this.state = 'connected';
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.onBytes?.(chunk);
    });
    socket.on('error', (e) => this.lose(socket, new PrinterError('IO', `the connection to the printer at ${this.where} failed: ${e.message}`, { cause: e })));
    socket.on('close', () => this.lose(socket, new PrinterError('IO', `the printer at ${this.where} closed the connection`)));
  }

  /** The connection ended: the command in flight fails; the next one connects again. */
  private lose(socket: Socket, err: PrinterError) {
    if (socket !== this.socket) return;
    if (this.state === 'connected') this.state = 'lost';
    socket.destroy();
    this.onError?.(err);
  }

  async exchange(frame: Uint8Array, opts: ExchangeOptions): Promise<string> {
    if (this.state === 'closed') throw new PrinterError('IO', `${opts.what}: the link to ${this.where} is closed`, { command: opts.what });
    if (this.busy) throw new PrinterError('IO', `${opts.what}: the link to ${this.where} is busy (one command at a time)`, { command: opts.what });
    opts.signal?.throwIfAborted(); // never send a frame whose reply nobody waits for
    this.busy = true;
    try {
      if (this.state === 'lost') this.attach(await this.reconnect());
      const socket = this.socket!;
      // Listen before writing: a fast printer's reply must not be dropped.
      const reply = readReply((onBytes, onError) => {
        this.onBytes = onBytes;
        this.onError = onError;
        return () => {
          this.onBytes = undefined;
          this.onError = undefined;
        };
      }, opts);
      socket.write(frame);
      return await reply;
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.state = 'closed';
    if (!socket || socket.destroyed) return;
    await waitFor<void>({
      what: `closing the connection to ${this.where}`,
      timeoutMs: 2000,
      subscribe: (resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        return () => {};
      },
    }).catch(() => socket.destroy());
  }
}
