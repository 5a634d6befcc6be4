/**
 * Headless Chromium driven over the DevTools protocol through --remote-debugging-pipe: Chromium
 * reads commands from its fd 3 and writes answers and events to its fd 4, each message one JSON
 * object ended by a NUL byte (Chromium's devtools_pipe_handler.cc; the transport Puppeteer's
 * PipeTransport speaks). No WebSocket and no client library: Node 20 has no WebSocket, and the
 * brief rules out puppeteer. The binary is found as src/barcode/chromium.ts finds it. Every command
 * has a time-out; close() kills Chromium and removes its throw-away profile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { findChromium } from '../../src/barcode/chromium.js';

export interface Page {
  /** Evaluates `expression` in the page (promises awaited) and returns its value. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  navigate(url: string): Promise<void>;
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(opts: { timeoutMs?: number } = {}): Promise<Browser> {
  const bin = await findChromium();
  if (!bin) throw new Error('chromium not found (install Debian package chromium or set HMSKORT_CHROMIUM)');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const dir = await mkdtemp(join(tmpdir(), 'hmskort-cdp-'));
  const child: ChildProcess = spawn(
    bin,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--remote-debugging-pipe', 'about:blank'],
    // Its own process group: close() kills Chromium's helper processes too (renderer, network
    // service), which otherwise go on writing the profile's cache while it is being removed.
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  const toChrome = child.stdio[3] as Writable;
  const fromChrome = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  let buf = Buffer.alloc(0);
  fromChrome.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (let end = buf.indexOf(0); end >= 0; end = buf.indexOf(0)) {
      const msg = JSON.parse(buf.subarray(0, end).toString('utf8')) as { id?: number; result?: unknown; error?: { message: string } };
      buf = buf.subarray(end + 1);
      const p = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!p) continue;
      pending.delete(msg.id as number);
      clearTimeout(p.timer);
      if (msg.error) p.reject(new Error(`DevTools: ${msg.error.message}`));
      else p.resolve(msg.result);
    }
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`chromium exited: ${stderr.slice(-400)}`));
    pending.clear();
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error(`chromium exited: ${stderr.slice(-400)}`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`DevTools ${method}: no answer in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      toChrome.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });

  return {
    async newPage() {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
      return {
        async evaluate<T>(expression: string) {
          const r = await send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
          if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
          return r.result.value as T;
        },
        async navigate(url: string) {
          const r = await send<{ errorText?: string }>('Page.navigate', { url }, sessionId);
          if (r.errorText) throw new Error(`navigate ${url}: ${r.errorText}`);
        },
      };
    },
    async close() {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
        await Promise.race([gone, new Promise((r) => setTimeout(r, 5000))]);
      }
      // A helper that outlived the group kill may still flush a cache file: retry the removal.
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
