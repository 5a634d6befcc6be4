/**
 * Issue 17 part 2, "one machine, no server": a gate process appends to its outbox (no --events) and
 * `hmskort site ingest --outbox DIR --db PGLITE_DIR`, another process, delivers it into the PGlite
 * store while the gate goes on tapping. The first ingest is killed with SIGKILL after its first
 * COMMIT and before the cursor write (outbox-ingest-kill-child.ts); the restarted one (the built
 * CLI) sends that batch again, the store ignores it, and every event is in the store exactly once,
 * checked against the taps the test asked for (card i at seq i). Segments of ~4 events make the
 * gate rotate and the ingest delete delivered segments while the gate appends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../../../src/transport/wait.js';
import { listSegments, readCursor } from '../../../../src/fleet/outboxFiles.js';
import { openPgliteDb } from '../../../../src/fleet/store/pgliteDb.js';

const root = resolve(import.meta.dirname, '../../../..');
const tsx = (file: string, args: string[]): ChildProcess =>
  fork(join(import.meta.dirname, file), args, { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });

const children: ChildProcess[] = [];
let dir = '';
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function exited(c: ChildProcess, what: string): Promise<{ code: number | null; signal: string | null }> {
  return waitFor({
    what,
    // PGlite compiles its WASM at start: seconds alone, a minute on a machine loaded 8-fold.
    timeoutMs: 120_000,
    subscribe: (res) => {
      if (c.exitCode !== null || c.signalCode !== null) res({ code: c.exitCode, signal: c.signalCode });
      const on = (code: number | null, signal: string | null): void => res({ code, signal });
      c.once('exit', on);
      return () => c.off('exit', on);
    },
  });
}

function message(c: ChildProcess, type: string): Promise<{ type: string; seq?: number }> {
  return waitFor({
    what: `the gate's "${type}"`,
    timeoutMs: 30_000,
    subscribe: (res) => {
      const on = (m: { type: string }): void => void (m.type === type && res(m));
      c.on('message', on);
      return () => c.off('message', on);
    },
  });
}

async function cursorAt(box: string, seq: number): Promise<void> {
  await waitFor<void>({
    what: `the outbox cursor at ${seq}`,
    timeoutMs: 60_000,
    subscribe: (res) => {
      const t = setInterval(() => void readCursor(box).then((n) => n >= seq && res(), () => undefined), 50);
      return () => clearInterval(t);
    },
  });
}

describe('site ingest --outbox: a gate outbox into PGlite, no server', () => {
  it('ingest killed after COMMIT and restarted: every event stored once', { timeout: 300_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-outbox-ingest-'));
    const outboxes = join(dir, 'hmskort-outbox');
    const box = join(outboxes, 'test.gate-kill');
    const pg = join(dir, 'site.pg');

    const gate = tsx('outbox-gate-child.ts', [box, '1500']);
    children.push(gate);
    await message(gate, 'ready');
    gate.send({ type: 'tap', first: 1, count: 20 });
    expect((await message(gate, 'flushed')).seq).toBe(20);

    const killed = tsx('outbox-ingest-kill-child.ts', [outboxes, pg]);
    children.push(killed);
    expect((await exited(killed, 'the first ingest killing itself')).signal).toBe('SIGKILL');
    expect(await readCursor(box)).toBe(0); // 8 events committed, none recorded as delivered

    const ingest = spawn(process.execPath, [join(root, 'bin/hmskort.js'), 'site', 'ingest', '--outbox', outboxes, '--db', pg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(ingest);
    let out = '';
    let err = '';
    ingest.stdout!.on('data', (b: Buffer) => (out += b));
    ingest.stderr!.on('data', (b: Buffer) => (err += b));
    gate.send({ type: 'tap', first: 21, count: 20 }); // the gate appends while the ingest delivers
    expect((await message(gate, 'flushed')).seq).toBe(40);
    await cursorAt(box, 40);
    // Delivered segments went, the newest (the gate's) stays.
    expect((await listSegments(box)).length).toBeLessThanOrEqual(2);
    ingest.kill('SIGTERM');
    expect(await exited(ingest, 'the ingest stopping on SIGTERM'), err).toEqual({ code: 0, signal: null });
    expect(out).toMatch(/total 40 \(32 new, 8 duplicates\), 0 errors/);

    const db = await openPgliteDb(pg);
    try {
      const { rows } = await db.query<{ seq: number; card_number: string; reason: string }>("SELECT seq::int AS seq, card_number, reason FROM events WHERE gate_id = 'gate-kill' ORDER BY seq");
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(rows.map((r) => r.card_number)).toEqual(rows.map((r) => String(r.seq)));
      expect(rows.filter((r) => r.reason === 'hotlisted').map((r) => r.seq)).toEqual([3]);
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_errors')).rows[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
