/**
 * Reloads a configuration file (hot list, policy) when it changes, atomically: the new content is
 * read and parsed completely off to the side, then handed over in one assignment, so a tap is
 * decided against either the whole old list or the whole new one, never a half-read file. A file
 * that fails to parse keeps the old content in force and is reported through `error`.
 *
 * Watches the DIRECTORY, not the file: editors and deployment tools replace a file by writing a
 * temporary file and renaming it over the old one, which ends a watch on the old file's inode.
 * Events are coalesced (debounce) and a reload is skipped when size, mtime and inode are unchanged.
 */
import { EventEmitter } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { needString, needOptions, needFunction } from '../codec/guard.js';

export interface FileReloaderOptions {
  /** Coalesce bursts of change events, ms. Default 50. */
  debounceMs?: number;
}

export interface FileReloader<T> {
  on(event: 'reload', listener: (value: T, path: string) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

export class FileReloader<T> extends EventEmitter {
  readonly path: string;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private signature = '';
  private running: Promise<void> | undefined;
  private again = false;
  private readonly debounceMs: number;

  constructor(path: string, private readonly load: (path: string) => Promise<T>, opts: FileReloaderOptions = {}) {
    super();
    needString('FileReloader', 'path', path);
    needFunction('FileReloader', 'load', load);
    needOptions('FileReloader', 'opts', opts);
    this.path = resolve(path);
    this.debounceMs = opts.debounceMs ?? 50;
  }

  /** Loads the file once (throws if it is bad) and starts watching. */
  async start(): Promise<T> {
    // The signature is taken BEFORE the load: a file replaced while it loads (up to 1 s for a
    // 1M-entry hot list), before the watch began, would otherwise be recorded as the one loaded and
    // never reloaded (seen: test/unit/gate/gate-reload.test.ts).
    const loaded = await this.fileSignature();
    const value = await this.load(this.path);
    this.signature = loaded;
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
      if (file === null || file === name) this.schedule();
    });
    this.watcher.on('error', (e) => this.report(e));
    // Changed between the first stat and the start of the watch: reload. schedule() is a timer, so
    // the caller has attached its 'reload' listener by the time it fires.
    if ((await this.fileSignature()) !== loaded) this.schedule();
    return value;
  }

  /** Reload now (also what a change event leads to); resolves when done. */
  async reload(force = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        const sig = await this.fileSignature();
        if (!force && sig === this.signature) return;
        const value = await this.load(this.path);
        this.signature = sig;
        this.emit('reload', value, this.path);
      } catch (e) {
        // A file half-way through a rename, or one that fails to parse: keep the old content.
        this.report(e as Error);
      } finally {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.reload();
        }
      }
    })();
    return this.running;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, this.debounceMs);
  }

  private async fileSignature(): Promise<string> {
    try {
      const s = await stat(this.path, { bigint: true });
      return `${s.ino}:${s.size}:${s.mtimeNs}`;
    } catch {
      return 'missing';
    }
  }

  private report(e: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
