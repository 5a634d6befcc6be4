/**
 * Issue 17 part 6, "a gate killed with events in its outbox (delivered after restart)", with the
 * real parts: the gate's outbox delivers through NatsEventSink to nats-server, and the ingest
 * consumer stores into PostgreSQL 15. The server is halted before the first life's taps, so its
 * events stay undelivered in the outbox; that gate is killed with SIGKILL, the server comes back,
 * and a second life on the same directory delivers them and its own taps. Every tap is in
 * PostgreSQL exactly once, card i at seq i (the test's own count, not read back).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitFor } from '../../../../src/transport/wait.js';
import { readCursor } from '../../../../src/fleet/outboxFiles.js';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runIngest } from '../../../../src/fleet/store/ingest.js';
import { fleetServersMissing, useFleetServers } from '../../../helpers/fleetServers.js';

const missing = fleetServersMissing();
const s = useFleetServers('outbox-nats-kill', !missing);
const root = resolve(import.meta.dirname, '../../../..');
const children: ChildProcess[] = [];
let dir = '';
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function gateLife(box: string): ChildProcess {
  const c = fork(join(import.meta.dirname, 'outbox-gate-child.ts'), [box, '100000', s.nats.url], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(c);
  return c;
}

function message(c: ChildProcess, type: string): Promise<{ type: string; seq?: number }> {
  return waitFor({
    what: `the gate's "${type}"`,
    timeoutMs: 60_000,
    subscribe: (res, rej) => {
      const on = (m: { type: string }): void => void (m.type === type && res(m));
      const exit = (code: number | null, sig: string | null): void => rej(new Error(`gate exited (${code ?? sig}) before "${type}"`));
      c.on('message', on);
      c.on('exit', exit);
      return () => {
        c.off('message', on);
        c.off('exit', exit);
      };
    },
  });
}

describe.skipIf(missing)('a gate killed with events in its outbox: NATS + PostgreSQL', () => {
  it('SIGKILLed with 25 undelivered, restarted: all 35 in PostgreSQL once', { timeout: 240_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-outbox-nats-kill-'));
    const box = join(dir, 'test.gate-kill');
    const N = 25, M = 10;

    const first = gateLife(box);
    await message(first, 'ready');
    await s.nats.halt();
    first.send({ type: 'tap', first: 1, count: N });
    expect((await message(first, 'flushed')).seq).toBe(N);
    first.kill('SIGKILL');
    await new Promise((r) => (first.exitCode === null && first.signalCode === null ? first.once('exit', r) : r(null)));
    expect(await readCursor(box)).toBe(0); // nothing delivered: the server was down
    await s.nats.resume();

    const second = gateLife(box);
    await message(second, 'ready');
    second.send({ type: 'tap', first: N + 1, count: M });
    expect((await message(second, 'flushed')).seq).toBe(N + M);
    second.send({ type: 'drain' });
    expect((await message(second, 'drained')).seq).toBe(N + M);

    const url = await s.pg.createDatabase('outbox_kill');
    const db = await openEventStore(url);
    try {
      const last = await runIngest({ servers: s.nats.url, db, signal: AbortSignal.timeout(60_000), stopAfter: N + M });
      expect(last).toMatchObject({ messages: N + M, inserted: N + M, duplicates: 0, errors: 0 });
      const { rows } = await db.query<{ seq: number; card_number: string }>("SELECT seq::int AS seq, card_number FROM events WHERE gate_id = 'gate-kill' ORDER BY seq");
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: N + M }, (_, i) => i + 1));
      expect(rows.map((r) => r.card_number)).toEqual(rows.map((r) => String(r.seq)));
    } finally {
      await db.close();
    }
  });
});
