/**
 * Issue 19 item 1: one batch per journal. Unit tests of the lock's holder checks, then real
 * processes (`node bin/hmskort.js batch`, built with `npx tsc -p tsconfig.build.json`) racing on one
 * journal, and a SIGKILLed batch whose lock is taken over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalLock, processStart, removeIfSame, type LockHolder } from '../../../src/batch/lock.js';
import { VirtualCardStack } from '../../../src/testing/cardStack.js';
import { BATCH_ARGS, BUILT, ROOT, batchDir, journalEntries, journalErrorOf, killRunning, runCli } from '../../helpers/batchCli.js';

afterEach(killRunning);

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'hmsk-lock-')), 'j.jsonl.lock');
const holder = (h: Partial<LockHolder>): LockHolder => ({ pid: process.pid, host: hostname(), start: processStart(process.pid), since: '2026-12-03T10:00:00.000Z', nonce: 'feedfacecafebeef', ...h });

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

const acquireError = (path: string) => journalErrorOf(() => JournalLock.acquire(path).release());

describe('the journal lock', () => {
  it('a live holder on this host: refused, naming pid, host and since', () => {
    const path = lockPath();
    const a = JournalLock.acquire(path);
    const e = acquireError(path);
    expect(e.code).toBe('JOURNAL_LOCKED');
    expect(e.message).toContain(`is in use by process ${process.pid} on ${hostname()}, since ${a.holder.since}`);
    expect(e.message).toContain(`kill ${process.pid}`);
    a.release();
    expect(existsSync(path)).toBe(false);
    JournalLock.acquire(path).release();
  });

  it('a killed holder (pid gone): taken over, and the reason given', () => {
    const path = lockPath();
    const pid = deadPid();
    writeFileSync(path, JSON.stringify(holder({ pid, start: '1' })));
    const l = JournalLock.acquire(path);
    expect(l.tookOver?.reason).toBe(`process ${pid} is gone`);
    expect(l.holder.pid).toBe(process.pid);
    l.release();
  });

  it('pid reuse (the pid lives, but started at another time): taken over', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify(holder({ start: '12345' })));
    const l = JournalLock.acquire(path);
    expect(l.tookOver?.reason).toMatch(new RegExp(`^pid ${process.pid} now belongs to another process`));
    l.release();
  });

  it('another host: never broken, and the message says how to remove it', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify(holder({ host: 'line2-pc', pid: deadPid() })));
    const e = acquireError(path);
    expect(e.message).toContain('in use by process');
    expect(e.message).toContain('on line2-pc');
    expect(e.message).toContain(`remove ${path} by hand`);
    expect(existsSync(path)).toBe(true);
  });

  it('a lock replaced under its holder is found before the next append', () => {
    const path = lockPath();
    const l = JournalLock.acquire(path);
    l.verify();
    writeFileSync(`${path}.x`, '{}');
    renameSync(`${path}.x`, path);
    expect(() => l.verify()).toThrow(/was removed or replaced while this batch ran/);
  });

  it('a stale lock replaced by a live one between reading and removing it: the live one stays', () => {
    const path = lockPath();
    const stale = holder({ pid: deadPid(), nonce: '0000000000000001' });
    writeFileSync(path, JSON.stringify(stale));
    const live = JournalLock.acquire(path); // takes the stale one over, as a faster process would
    expect(removeIfSame(path, stale, 'aaaaaaaaaaaaaaaa')).toBe(false);
    live.verify();
    expect(JSON.parse(readFileSync(path, 'utf8')).nonce).toBe(live.holder.nonce);
    expect(readdirSync(join(path, '..'))).toEqual(['j.jsonl.lock']);
    writeFileSync(`${path}.x`, JSON.stringify(stale));
    renameSync(`${path}.x`, path);
    expect(removeIfSame(path, stale, 'aaaaaaaaaaaaaaaa')).toBe(true);
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });

  it('leaves no temporary files behind', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify(holder({ pid: deadPid() })));
    JournalLock.acquire(path).release();
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });
});

describe.skipIf(!BUILT)('taking over a stale lock, raced by real processes (the built dist/src/batch/lock.js)', () => {
  it('six processes at once on one stale lock: exactly one takes it, the others name that one', async () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify(holder({ pid: deadPid() })));
    // Each child tries once, holds what it got for 1.5 s (longer than all start-ups), then says.
    const code = `
      const { JournalLock } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/batch/lock.js')).href)});
      try { const l = JournalLock.acquire(${JSON.stringify(path)}); await new Promise((r) => setTimeout(r, 1500)); l.verify(); l.release(); console.log('took ' + process.pid); }
      catch (e) { console.log(e.code + ' ' + e.message); }`;
    const outs = await Promise.all(
      Array.from({ length: 6 }, () => new Promise<string>((r) => execFile(process.execPath, ['--input-type=module', '-e', code], (_e, out) => r(out.trim())))),
    );
    const took = outs.filter((o) => o.startsWith('took '));
    expect(took, outs.join('\n')).toHaveLength(1);
    const winner = took[0].slice(5);
    for (const o of outs.filter((x) => !x.startsWith('took '))) expect(o).toMatch(new RegExp(`^JOURNAL_LOCKED .*in use by process ${winner} `));
    expect(readdirSync(join(path, '..'))).toEqual([]);
  }, 60_000);
});

describe.skipIf(!BUILT)('two real batch processes on one journal (needs npx tsc -p tsconfig.build.json)', () => {
  it('race: exactly one runs; 10 orders give 10 cards and one done per order', async () => {
    const dir = batchDir(10);
    const args = [...BATCH_ARGS, '--virtual-delay-ms', '2'];
    const [a, b] = await Promise.all([runCli(dir, args).exit, runCli(dir, args).exit]);
    const [ok, refused] = a.code === 0 ? [a, b] : [b, a];
    expect([a.code, b.code].sort(), `${a.out}${a.err}\n${b.out}${b.err}`).toEqual([0, 4]);
    expect(refused.err).toMatch(new RegExp(`is in use by process \\d+ on ${hostname()}, since \\d{4}-`));
    expect(refused.out).toBe('');
    expect(refused.ms).toBeLessThan(5000); // node start-up, orders and keys, then the lock: no card work
    expect(ok.out).toContain('batch done: 10 orders, 10 encoded now');
    const done = journalEntries(dir).filter((e) => e.t === 'done');
    expect(done.map((e) => e.order)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new VirtualCardStack({ dir: join(dir, 'j.jsonl.cards') }).tray().size).toBe(10);
    expect(existsSync(join(dir, 'j.jsonl.lock'))).toBe(false);
  }, 120_000);

  it('a second process refuses at once while the first runs', async () => {
    const dir = batchDir(3);
    const first = runCli(dir, [...BATCH_ARGS, '--virtual-delay-ms', '20']);
    await first.printed(/encoded and verified/);
    const second = await runCli(dir, BATCH_ARGS).exit;
    expect(second.code).toBe(4);
    expect(second.err).toContain(`in use by process ${first.child.pid} on ${hostname()}`);
    expect((await first.exit).code).toBe(0);
  }, 120_000);

  it('SIGKILLed mid-batch: the next run takes the stale lock over and finishes, each order once', async () => {
    const dir = batchDir(4);
    const first = runCli(dir, [...BATCH_ARGS, '--virtual-delay-ms', '10']);
    await first.printed(/encoded and verified/);
    first.child.kill('SIGKILL');
    expect((await first.exit).signal).toBe('SIGKILL');
    expect(existsSync(join(dir, 'j.jsonl.lock'))).toBe(true);
    const second = await runCli(dir, BATCH_ARGS).exit;
    expect(second.code, second.out + second.err).toBe(0);
    expect(second.out).toContain(`journal: took over the lock of process ${first.child.pid}`);
    expect(second.out).toContain(`process ${first.child.pid} is gone`);
    const done = journalEntries(dir).filter((e) => e.t === 'done');
    expect(done.map((e) => e.order).sort()).toEqual([0, 1, 2, 3]);
  }, 120_000);
});
