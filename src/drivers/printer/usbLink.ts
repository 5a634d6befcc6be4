/**
 * An Evolis printer on the USB printer class device of Linux (usblp: /dev/usb/lpN). The class is
 * bidirectional, but "the usblp driver requires reopening the device between sending commands and
 * reading responses" (S10 GEMINI.md; lib/Printer/EVOLIS/Parallel.pm l.51-67): the Perl driver
 * opens with O_EXCL, writes the command, reopens, polls read every 0.1 s for the first byte, then
 * reads until NUL or EOF. We do the same, with two changes of ours: both opens are O_NONBLOCK (a
 * blocking read or write on a printer that never answers would hold a libuv thread forever; usblp
 * answers EAGAIN instead, drivers/usb/class/usblp.c), and we poll every POLL_MS so the reply
 * reader's quiet gap (replyReader.ts) can be seen. EOF after some text ends the reply (S10).
 * O_EXCL without O_CREAT is ignored by Linux for a character device (open(2)); it is kept because
 * S10 uses it, and it costs nothing.
 */
import { constants } from 'node:fs';
import { access, open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { needString } from '../../codec/guard.js';
import { PrinterError } from './errors.js';
import { readReply, noReplyError, type ByteSource, type ExchangeOptions, type PrinterLink } from './link.js';

/** How often the device is read while a reply is awaited. */
export const POLL_MS = 10;

const { O_WRONLY, O_RDONLY, O_EXCL, O_NONBLOCK, O_NOCTTY, R_OK, W_OK } = constants;

const again = (e: unknown) => (e as NodeJS.ErrnoException)?.code === 'EAGAIN' || (e as NodeJS.ErrnoException)?.code === 'EWOULDBLOCK';

function ioError(path: string, what: string, e: unknown): PrinterError {
  const m = e instanceof Error ? e.message : String(e);
  return new PrinterError('IO', `${path}: ${what}: ${m}`, { command: what, cause: e });
}

/** Checks that the device is there and ours to use; each command opens it again (see above). */
export async function openUsbLink(path: string): Promise<PrinterLink> {
  needString('openUsbLink', 'path', path);
  try {
    await access(path, R_OK | W_OK);
  } catch (e) {
    throw ioError(path, 'cannot use the printer device', e);
  }
  return new UsbLink(path);
}

class UsbLink implements PrinterLink {
  private closed = false;
  private busy = false;

  constructor(private readonly path: string) {}

  async exchange(frame: Uint8Array, opts: ExchangeOptions): Promise<string> {
    if (this.closed) throw new PrinterError('IO', `${opts.what}: the link to ${this.path} is closed`, { command: opts.what });
    if (this.busy) throw new PrinterError('IO', `${opts.what}: the link to ${this.path} is busy (one command at a time)`, { command: opts.what });
    opts.signal?.throwIfAborted(); // never send a frame whose reply nobody waits for
    this.busy = true;
    try {
      const deadline = Date.now() + opts.timeoutMs;
      await this.write(frame, opts, deadline);
      const left = Math.max(1, deadline - Date.now());
      return await readReply(this.poller(opts.what), opts, left);
    } finally {
      this.busy = false;
    }
  }

  /** Writes the whole frame, then closes the device (S10: reopen before reading). */
  private async write(frame: Uint8Array, opts: ExchangeOptions, deadline: number): Promise<void> {
    let fh: FileHandle;
    try {
      fh = await open(this.path, O_WRONLY | O_EXCL | O_NONBLOCK | O_NOCTTY);
    } catch (e) {
      throw ioError(this.path, opts.what, e);
    }
    try {
      let done = 0;
      while (done < frame.length) {
        opts.signal?.throwIfAborted();
        try {
          done += (await fh.write(frame, done, frame.length - done)).bytesWritten;
        } catch (e) {
          if (!again(e)) throw ioError(this.path, opts.what, e);
          // The printer takes no more for now (a panel is 80 kB): wait for it, within the time-out.
          if (Date.now() >= deadline) throw noReplyError(opts.what, opts.timeoutMs);
          await sleep(POLL_MS);
        }
      }
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  /** Reads the device every POLL_MS until the reply reader has a reply; EOF after text ends it. */
  private poller(what: string): ByteSource {
    return (onBytes, onError) => {
      let stopped = false;
      const buf = new Uint8Array(512);
      void (async () => {
        let fh: FileHandle | undefined;
        let seen = false;
        try {
          fh = await open(this.path, O_RDONLY | O_EXCL | O_NONBLOCK | O_NOCTTY);
          while (!stopped) {
            let n = -1;
            try {
              n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
            } catch (e) {
              if (!again(e)) throw e;
            }
            if (stopped) break;
            if (n > 0) {
              seen = true;
              onBytes(buf.slice(0, n));
              continue;
            }
            // EOF after text: the end of the reply, as S10 reads it (a NUL ends it the same way).
            if (n === 0 && seen) onBytes(Uint8Array.of(0));
            await sleep(POLL_MS);
          }
        } catch (e) {
          if (!stopped) onError(ioError(this.path, what, e));
        } finally {
          await fh?.close().catch(() => undefined);
        }
      })();
      return () => {
        stopped = true;
      };
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
