/**
 * FileReloader (src/gate/reload.ts) keeps the gate on a whole list at all times: a new file that
 * fails to load leaves the old value in force and is reported through 'error'; a good one is
 * handed over through 'reload'. Real files in a temp directory, replaced the way deployment tools
 * do (write a temporary file, rename it over the old one), watched with the real fs.watch. Every
 * wait has a time-out (AbortSignal.timeout).
 */
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileReloader } from '../../../src/gate/reload.js';

const dirs: string[] = [];
const open: FileReloader<unknown>[] = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmpFile = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'hmskort-reload-atomic-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'watched'));
  mkdirSync(join(dir, 'staging'));
  return join(dir, 'watched', name);
};
/** Written in a sibling directory and renamed in: the watched directory sees only the file's own name. */
const replace = (file: string, text: string) => {
  const staged = join(dirname(file), '..', 'staging', basename(file));
  writeFileSync(staged, text);
  renameSync(staged, file);
};
/** A load that refuses a file not starting with "ok:" (a list that does not parse). */
const parseList = async (p: string): Promise<string> => {
  const text = readFileSync(p, 'utf8');
  if (!text.startsWith('ok:')) throw new Error(`bad list: ${text}`);
  return text;
};
const within = (ms: number) => ({ signal: AbortSignal.timeout(ms) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reloader<T>(file: string, load: (p: string) => Promise<T>, debounceMs?: number): FileReloader<T> {
  const r = new FileReloader(file, load, debounceMs === undefined ? {} : { debounceMs });
  open.push(r as FileReloader<unknown>);
  return r;
}

describe('FileReloader: a bad new file keeps the old list, a good one swaps', () => {
  it('watch: bad -> error and no reload; good -> reload with the new value', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:1');
    const r = reloader(file, parseList, 5);
    const values: string[] = [];
    r.on('reload', (v: string) => values.push(v));
    expect(await r.start()).toBe('ok:1');

    const failed = once(r, 'error', within(5000));
    replace(file, 'garbage');
    const [err] = (await failed) as [Error];
    expect(err.message).toBe('bad list: garbage');
    expect(values).toEqual([]); // the old list stays: nothing was handed over

    const swapped = once(r, 'reload', within(5000));
    replace(file, 'ok:2');
    expect(await swapped).toEqual(['ok:2', file]);
  });

  it('a file removed is reported and the old value kept; put back, it loads again', async () => {
    const file = tmpFile('policy.json');
    writeFileSync(file, 'ok:a');
    const r = reloader(file, parseList, 60_000);
    const errors: Error[] = [];
    r.on('error', (e) => errors.push(e));
    let last: string | undefined;
    r.on('reload', (v: string) => (last = v));
    await r.start();
    unlinkSync(file);
    await r.reload();
    expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['ENOENT']);
    expect(last).toBeUndefined();
    writeFileSync(file, 'ok:b');
    await r.reload();
    expect(last).toBe('ok:b');
  });

  it('without an error listener a bad file neither throws nor rejects', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:1');
    const r = reloader(file, parseList, 60_000);
    await r.start();
    replace(file, 'garbage');
    await expect(r.reload()).resolves.toBeUndefined();
  });

  it('a rewrite in place of the same size is seen (nanosecond mtime in the signature)', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:aaaa');
    const r = reloader(file, parseList, 60_000);
    await r.start();
    await sleep(5); // a later mtime; same inode, same size
    writeFileSync(file, 'ok:bbbb');
    const got = once(r, 'reload', within(5000));
    await r.reload();
    expect((await got)[0]).toBe('ok:bbbb');
  });
});

describe('FileReloader: one load at a time', () => {
  it('a reload asked for during a load waits for it, then loads the newer file once', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:1');
    let active = 0;
    let most = 0;
    let started: () => void = () => {};
    const slow = async (p: string) => {
      most = Math.max(most, ++active);
      const text = await parseList(p); // read first, then take time, as a large list does
      started();
      await sleep(30);
      active--;
      return text;
    };
    // Debounce far past the test: only explicit reloads run.
    const r = reloader(file, slow, 60_000);
    const values: string[] = [];
    r.on('reload', (v: string) => values.push(v));
    await r.start();
    replace(file, 'ok:2');
    const reading = new Promise<void>((res) => (started = res));
    const first = r.reload();
    await reading; // ok:2 is read; the load is still running
    replace(file, 'ok:3');
    const second = r.reload(); // during the first load
    await Promise.all([first, second]);
    await once(r, 'reload', within(2000)).catch(() => undefined); // the queued one, if not yet done
    expect(most).toBe(1);
    expect(values).toEqual(['ok:2', 'ok:3']);
  });
});

describe('FileReloader: debounce and close', () => {
  it('the debounce given is kept: no reload within 300 ms of a change when it is 60 s', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:1');
    const r = reloader(file, parseList, 60_000);
    let reloads = 0;
    r.on('reload', () => reloads++);
    await r.start();
    replace(file, 'ok:2');
    await sleep(300);
    expect(reloads).toBe(0);
  });

  it('close() cancels a scheduled reload, and may be called before start and twice', async () => {
    const file = tmpFile('hot.csv');
    writeFileSync(file, 'ok:1');
    const idle = reloader(file, parseList);
    expect(() => idle.close()).not.toThrow();
    const r = reloader(file, parseList, 100);
    let reloads = 0;
    r.on('reload', () => reloads++);
    await r.start();
    replace(file, 'ok:2');
    await sleep(30); // the change event has arrived and a reload is scheduled for +100 ms
    r.close();
    await sleep(250);
    expect(reloads).toBe(0);
    expect(() => r.close()).not.toThrow();
  });

  it('arguments of the wrong type name the class and the argument', () => {
    expect(() => new FileReloader(1 as never, parseList)).toThrow(/FileReloader: path /);
    expect(() => new FileReloader('x', 1 as never)).toThrow(/FileReloader: load /);
    expect(() => new FileReloader('x', parseList, 1 as never)).toThrow(/FileReloader: opts /);
  });
});
