/**
 * A printer link over any Node duplex stream: what carries the bytes is the caller's (the
 * emulator's in-memory duplex of hmskort/testing, a socket the caller connected, a serial port).
 * Same framing and replies as the TCP and USB links (link.ts); no reconnecting: when the stream
 * ends, every later command fails with IO.
 */
import type { Duplex } from 'node:stream';
import { argumentError, needInteger, needOptions } from '../../codec/guard.js';
import { PrinterError } from './errors.js';
import { readReply, type ExchangeOptions, type PrinterLink } from './link.js';
import { QUIET_GAP_MS } from './replyReader.js';

export interface StreamLinkOptions {
  /** The quiet gap that ends a reply without terminator (default QUIET_GAP_MS, 50 ms). */
  quietGapMs?: number;
  /** Named in errors ("the emulator"). */
  name?: string;
}

export function streamLink(stream: Duplex, opts: StreamLinkOptions = {}): PrinterLink {
  const s = stream as Partial<Duplex> | null;
  if (!s || typeof s.write !== 'function' || typeof s.on !== 'function') throw argumentError('streamLink', 'stream', 'a Node duplex stream', stream);
  needOptions('streamLink', 'opts', opts);
  const gap = opts.quietGapMs ?? QUIET_GAP_MS;
  needInteger('streamLink', 'opts.quietGapMs', gap, 1, 60_000);
  const name = opts.name ?? 'the printer stream';
  let onBytes: ((chunk: Uint8Array) => void) | undefined;
  let onError: ((err: Error) => void) | undefined;
  let failed: PrinterError | undefined;
  let busy = false;
  const fail = (err: PrinterError) => {
    failed ??= err;
    onError?.(failed);
  };
  stream.on('data', (chunk: Uint8Array) => onBytes?.(chunk));
  stream.on('error', (e: Error) => fail(new PrinterError('IO', `${name} failed: ${e.message}`, { cause: e })));
  stream.on('close', () => fail(new PrinterError('IO', `${name} closed`)));
  stream.on('end', () => fail(new PrinterError('IO', `${name} ended`)));

  return {
    async exchange(frame: Uint8Array, o: ExchangeOptions): Promise<string> {
      if (failed) throw failed;
      if (busy) throw new PrinterError('IO', `${o.what}: ${name} is busy (one command at a time)`, { command: o.what });
      o.signal?.throwIfAborted(); // never send a frame whose reply nobody waits for
      busy = true;
      try {
        const reply = readReply(
          (bytes, error) => {
            onBytes = bytes;
            onError = error;
            return () => {
              onBytes = onError = undefined;
            };
          },
          o,
          o.timeoutMs,
          gap,
        );
        stream.write(frame);
        return await reply;
      } finally {
        busy = false;
      }
    },
    async close(): Promise<void> {
      failed ??= new PrinterError('IO', `${name} is closed`);
      stream.end();
    },
  };
}
