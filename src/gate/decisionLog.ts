/**
 * The gate's decision log: one JSON object per line (JSON Lines), appended off the decision path
 * and rotated by size.
 *
 * Off the decision path: write() only serialises the decision and queues the line; the file is
 * appended on a later turn of the event loop (setImmediate), a batch of lines per append, so a
 * tap never waits on the disk. The queue is bounded: when the disk cannot keep up (or is gone) lines
 * beyond `maxQueued` are dropped and counted rather than growing the gate's memory without end.
 *
 * Rotation: before an append would take the file past `maxBytes`, the file is renamed to
 * `<path>.1` (`.1` to `.2`, ... up to `.<keep>`, the oldest dropped) and a new file is started.
 * Lines are never split across files, so every file is whole JSON Lines; a single line longer than
 * `maxBytes` gets a file of its own. The size of an existing file counts (a restarted gate appends).
 *
 * When rotation fails (no permission on the directory, say), lines go on being appended to the
 * current file up to twice `maxBytes`, and beyond that are dropped and counted: the log stays
 * bounded on a small disk. Rotation is tried again at most once per `rotateRetryMs`, so a lasting
 * fault costs one error per retry, not one per batch.
 *
 * Errors (disk full, permissions) never reach the gate: they are counted, the lines of the failed
 * append are counted as dropped, and an 'error' event is emitted when someone listens. A listener
 * that throws is ignored too: the log is on the gate's path only through write().
 */
import { EventEmitter } from 'node:events';
import { appendFile, rename, stat, unlink } from 'node:fs/promises';
import { argumentError, needObject } from '../codec/guard.js';

export interface DecisionLogOptions {
  path: string;
  /** Rotate before the file would exceed this many bytes. Default 10 MiB. */
  maxBytes?: number;
  /** Rotated files kept (`path.1` .. `path.N`). Default 5; 0 keeps none. */
  keep?: number;
  /** Lines waiting for the disk before new ones are dropped. Default 10 000. */
  maxQueued?: number;
  /** After a failed rotation, the next attempt waits this long. Default 1000 ms. */
  rotateRetryMs?: number;
}

export interface DecisionLogStats {
  /** Lines appended to a file. */
  written: number;
  /** Lines lost: queue full, log closed, a failed append, or the file at twice maxBytes while rotation fails. */
  dropped: number;
  rotations: number;
  errors: number;
}

export class DecisionLog extends EventEmitter {
  readonly path: string;
  readonly stats: DecisionLogStats = { written: 0, dropped: 0, rotations: 0, errors: 0 };
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly maxQueued: number;
  private readonly rotateRetryMs: number;
  /** When the last rotation failed (performance.now()); rotation waits rotateRetryMs after it. */
  private rotateFailedAt = -Infinity;
  private queue: string[] = [];
  /** Bytes in the current file; -1 until read from the disk at the first append. */
  private size = -1;
  private scheduled = false;
  private draining: Promise<void> | undefined;
  private closed = false;

  constructor(opts: DecisionLogOptions) {
    super();
    needObject('DecisionLog', 'opts', opts);
    if (typeof opts.path !== 'string' || opts.path === '') throw new TypeError('DecisionLog: path is required');
    this.path = opts.path;
    this.maxBytes = positiveInt(opts.maxBytes ?? 10 * 1024 * 1024, 'maxBytes');
    this.keep = opts.keep ?? 5;
    if (!Number.isInteger(this.keep) || this.keep < 0) throw new RangeError(`DecisionLog: keep must be an integer >= 0 (got ${opts.keep})`);
    this.maxQueued = positiveInt(opts.maxQueued ?? 10_000, 'maxQueued');
    this.rotateRetryMs = opts.rotateRetryMs ?? 1000;
    if (!(this.rotateRetryMs >= 0)) throw new RangeError(`DecisionLog: rotateRetryMs must be >= 0 (got ${opts.rotateRetryMs})`);
  }

  /** Queues one record (any JSON-serialisable object); returns at once. Never throws. */
  write(record: unknown): void {
    if (this.closed || this.queue.length >= this.maxQueued) {
      this.stats.dropped++;
      return;
    }
    let line: string;
    try {
      line = JSON.stringify(record) + '\n';
    } catch (e) {
      this.stats.dropped++;
      this.fail(e as Error);
      return;
    }
    this.queue.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.kick);
    }
  }

  /** Resolves when every line queued so far has been appended (or counted as dropped). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.draining) {
      if (!this.draining) this.kick();
      await this.draining;
    }
  }

  /** Flushes, then refuses further lines (they count as dropped). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private readonly kick = (): void => {
    this.scheduled = false;
    if (this.draining || this.queue.length === 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(this.kick);
      }
    });
  };

  private async drain(): Promise<void> {
    const lines = this.queue;
    this.queue = [];
    if (this.size < 0) this.size = await stat(this.path).then((s) => s.size, () => 0);
    let chunk = '';
    let chunkBytes = 0;
    let chunkLines = 0;
    for (const line of lines) {
      const n = Buffer.byteLength(line);
      if (this.size + chunkBytes + n > this.maxBytes && this.size + chunkBytes > 0) {
        if (performance.now() - this.rotateFailedAt >= this.rotateRetryMs) {
          await this.append(chunk, chunkLines);
          chunk = '';
          chunkBytes = 0;
          chunkLines = 0;
          await this.rotate();
        }
        // Rotation failing: keep appending, but never past twice maxBytes.
        if (this.size + chunkBytes + n > 2 * this.maxBytes) {
          this.stats.dropped++;
          continue;
        }
      }
      chunk += line;
      chunkBytes += n;
      chunkLines++;
    }
    await this.append(chunk, chunkLines);
  }

  private async append(chunk: string, lines: number): Promise<void> {
    if (lines === 0) return;
    try {
      await appendFile(this.path, chunk, { mode: 0o640 });
      this.size += Buffer.byteLength(chunk);
      this.stats.written += lines;
    } catch (e) {
      this.stats.dropped += lines;
      this.fail(e as Error);
      // The file may be partly written or gone: learn its size again.
      this.size = await stat(this.path).then((s) => s.size, () => 0);
    }
  }

  private async rotate(): Promise<void> {
    try {
      if (this.keep === 0) await unlink(this.path).catch(ignoreMissing);
      else {
        for (let i = this.keep - 1; i >= 1; i--) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch(ignoreMissing);
        await rename(this.path, `${this.path}.1`).catch(ignoreMissing);
      }
      this.stats.rotations++;
      this.size = 0;
      this.rotateFailedAt = -Infinity;
    } catch (e) {
      // Could not rotate (e.g. permissions on the directory): see the class comment.
      this.rotateFailedAt = performance.now();
      this.fail(e as Error);
    }
  }

  private fail(e: Error): void {
    this.stats.errors++;
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', e);
    } catch {
      // A listener's own fault must not stop the log (an unhandled rejection in drain) or throw into the gate.
    }
  }
}

/** Logs every decision of `gate`; returns a function that stops logging. */
export function logDecisions(gate: EventEmitter, log: DecisionLog): () => void {
  needObject('logDecisions', 'gate', gate);
  if (!(log instanceof DecisionLog)) throw argumentError('logDecisions', 'log', 'a DecisionLog', log);
  const listener = (d: unknown) => log.write(d);
  gate.on('decision', listener);
  return () => gate.off('decision', listener);
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`DecisionLog: ${name} must be a positive integer (got ${v})`);
  return v;
}

function ignoreMissing(e: NodeJS.ErrnoException): void {
  if (e.code !== 'ENOENT') throw e;
}
