/**
 * An Evolis printer on the network: a TCP connection carrying the same ESC ... CR frames and text
 * replies as USB. libevolis accepts `socket://<ip>` with a port compiled in (S8 l.994-1010, S5
 * strings); that port is not published [UNK] (evolis.md §1: 9100 is plausible, not verified), so
 * our URL requires it (url.ts). One connection, one command at a time; bytes that arrive outside an
 * exchange (a late reply to a command that timed out) are dropped, so they cannot be taken for the
 * next command's reply, unless they arrive after the next frame was sent: after a time-out the
 * printer's state is unknown anyway and the caller should ask for status.
 */
import { connect, type Socket } from 'node:net';
import { waitFor } from '../../transport/wait.js';
import { PrinterError } from './errors.js';
import { readReply, type ExchangeOptions, type PrinterLink } from './link.js';

export interface TcpLinkOptions {
  /** How long to wait for the connection (default 5000 ms). */
  connectTimeoutMs?: number;
  signal?: AbortSignal;
}

export async function openTcpLink(host: string, port: number, opts: TcpLinkOptions = {}): Promise<PrinterLink> {
  const where = `${host}:${port}`;
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  let socket: Socket | undefined;
  try {
    socket = await waitFor<Socket>({
      what: `a connection to the printer at ${where}`,
      timeoutMs,
      signal: opts.signal,
      timeoutError: (ms) => new PrinterError('TIMEOUT', `no connection to the printer at ${where} within ${ms} ms`),
      subscribe(resolve, reject) {
        const s = connect({ host, port });
        const onError = (e: Error) => reject(new PrinterError('IO', `cannot connect to the printer at ${where}: ${e.message}`, { cause: e }));
        s.once('connect', () => resolve(s));
        s.once('error', onError);
        return () => {
          s.off('error', onError);
          if (s.connecting || s.destroyed) s.destroy();
        };
      },
    });
  } catch (e) {
    socket?.destroy();
    throw e;
  }
  return new TcpLink(socket, where);
}

class TcpLink implements PrinterLink {
  private onBytes: ((chunk: Uint8Array) => void) | undefined;
  private onError: ((err: Error) => void) | undefined;
  private failed: Error | undefined;
  private busy = false;

  constructor(
    private readonly socket: Socket,
    private readonly where: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onBytes?.(chunk));
    socket.on('error', (e) => this.fail(new PrinterError('IO', `the connection to the printer at ${where} failed: ${e.message}`, { cause: e })));
    socket.on('close', () => this.fail(new PrinterError('IO', `the printer at ${where} closed the connection`)));
  }

  private fail(err: PrinterError) {
    this.failed ??= err;
    this.onError?.(this.failed);
  }

  async exchange(frame: Uint8Array, opts: ExchangeOptions): Promise<string> {
    if (this.failed) throw this.failed;
    if (this.busy) throw new PrinterError('IO', `${opts.what}: the link to ${this.where} is busy (one command at a time)`, { command: opts.what });
    this.busy = true;
    try {
      // Listen before writing: a fast printer's reply must not be dropped.
      const reply = readReply((onBytes, onError) => {
        this.onBytes = onBytes;
        this.onError = onError;
        return () => {
          this.onBytes = undefined;
          this.onError = undefined;
        };
      }, opts);
      this.socket.write(frame);
      return await reply;
    } finally {
      this.busy = false;
    }
  }

  async close(): Promise<void> {
    this.failed ??= new PrinterError('IO', `the link to ${this.where} is closed`);
    if (this.socket.destroyed) return;
    await waitFor<void>({
      what: `closing the connection to ${this.where}`,
      timeoutMs: 2000,
      subscribe: (resolve) => {
        this.socket.once('close', () => resolve());
        this.socket.end();
        return () => {};
      },
    }).catch(() => this.socket.destroy());
  }
}
