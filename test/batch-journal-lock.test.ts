/**
 * Issue 19 item 1: one batch per journal. Unit tests of the lock's holder checks, then real
 * processes (`node bin/hmskort.js batch`, built with `npx tsc -p tsconfig.build.json`) racing on one
 * journal, and a SIGKILLed batch whose lock is taken over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { JournalLock, processStart, type LockHolder } from '../src/batch/lock.js';
import { JournalError } from '../src/batch/journalFormat.js';
import { VirtualCardStack } from '../src/testing/cardStack.js';
import { BATCH_ARGS, BUILT, batchDir, journalEntries, killRunning, runCli } from './helpers/batchCli.js';

afterEach(killRunning);

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'hmsk-lock-')), 'j.jsonl.lock');
const holder = (h: Partial<LockHolder>): LockHolder => ({ pid: process.pid, host: hostname(), start: processStart(process.pid), since: '2026-12-03T10:00:00.000Z', nonce: 'feedfacecafebeef', ...h });

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function acquireError(path: string): JournalError {
  try {
    JournalLock.acquire(path).release();
  } catch (e) {
    if (e instanceof JournalError) return e;
    throw e;
  }
  throw new Error('the lock was taken');
}

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

  it('leaves no temporary files behind', () => {
    const path = lockPath();
    writeFileSync(path, JSON.stringify(holder({ pid: deadPid() })));
    JournalLock.acquire(path).release();
    expect(readdirSync(join(path, '..'))).toEqual([]);
  });
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
