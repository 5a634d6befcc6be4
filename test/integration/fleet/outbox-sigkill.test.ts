/**
 * Issue 17 part 6, "a gate killed with events in its outbox (delivered after restart)": a real
 * child process (outbox-gate-child.ts) runs a gate and its EventOutbox; its sink is this process.
 * The first child is killed with SIGKILL after the store took one batch but before the child heard
 * so (the worst instant: the cursor is not written), with its other events still in the outbox. A
 * second child on the same directory must deliver them, resend that batch (the store ignores the
 * repeats, as the stores' unique (gateId, seq) key does), and go on numbering. The store's content
 * is checked against the taps the test asked for: seqs 1..N once each, each with its card.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MemoryEventSink } from '../../../src/fleet/memorySink.js';
import { waitFor } from '../../../src/transport/wait.js';
import type { PresenceEvent } from '../../../src/fleet/contracts.js';

const root = resolve(import.meta.dirname, '../../..');
const CHILD = join(import.meta.dirname, 'outbox-gate-child.ts');
type Msg = { type: string; id?: number; events?: PresenceEvent[]; seq?: number; revision?: number };

const children: ChildProcess[] = [];
let dir = '';
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A child gate tapping cards first .. first+count-1; `onAppend` answers its sink's appends. */
function gateChild(first: number, count: number, onAppend: (m: Msg, child: ChildProcess) => void): { child: ChildProcess; next(type: string): Promise<Msg> } {
  const child = fork(CHILD, [dir, String(first), String(count)], { cwd: root, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const inbox: Msg[] = [];
  child.on('message', (m: Msg) => (m.type === 'append' ? onAppend(m, child) : inbox.push(m)));
  const next = (type: string): Promise<Msg> =>
    waitFor<Msg>({
      what: `the child gate's "${type}" message`,
      timeoutMs: 30_000,
      subscribe: (res, rej) => {
        const look = (): void => {
          const i = inbox.findIndex((m) => m.type === type);
          if (i >= 0) res(inbox.splice(i, 1)[0]);
        };
        const exit = (code: number | null, sig: string | null): void => rej(new Error(`child exited (${code ?? sig}) before "${type}"`));
        child.on('message', look);
        child.on('exit', exit);
        look();
        return () => {
          child.off('message', look);
          child.off('exit', exit);
        };
      },
    });
  return { child, next };
}

describe('a gate killed (SIGKILL) with events in its outbox delivers them after its restart', () => {
  it('nothing lost, nothing counted twice, the seq goes on', { timeout: 90_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-outbox-kill-'));
    const store = new MemoryEventSink();
    const N = 30;
    const M = 7;

    // First life: the store takes the first batch and never answers it; the rest wait in the outbox.
    let took = 0;
    let tookFirst: () => void = () => {};
    const firstTaken = new Promise<void>((res) => (tookFirst = res));
    const first = gateChild(1, N, (m) => {
      if (took++ === 0) void store.append(m.events!).then(() => tookFirst());
    });
    const flushed = await first.next('flushed');
    expect(flushed.seq).toBe(N);
    // The kill must come after the store took the first batch: 'flushed' (all on disk) can come
    // before the delivery loop's first send on a fast machine.
    await waitFor<void>({ what: "the child's first batch in the store", timeoutMs: 30_000, subscribe: (res) => (void firstTaken.then(res), () => {}) });
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const inStore = store.stats.accepted;
    expect(inStore).toBe(8); // one batch (batchSize 8) taken before the kill
    expect(took).toBe(1);

    // Second life: the store answers every append.
    const second = gateChild(N + 1, M, (m, child) => {
      void store.append(m.events!).then(() => child.send({ type: 'ack', id: m.id }));
    });
    expect((await second.next('flushed')).seq).toBe(N + M);
    second.child.send({ type: 'drain' });
    expect((await second.next('drained')).seq).toBe(N + M);

    const events = store.eventsOf('gate-kill');
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: N + M }, (_, i) => i + 1));
    // Each event is the tap asked for, in order: card i at seq i; card 3 is on the followed list.
    expect(events.map((e) => e.decision.cardNumber)).toEqual(events.map((e) => String(e.seq)));
    expect(events.filter((e) => e.decision.reason === 'hotlisted').map((e) => e.seq)).toEqual([3]);
    expect(events.every((e) => e.hotlistRevision === 1 && e.site === 'test')).toBe(true);
    // The batch the first life never heard about came again, and was ignored.
    expect(store.stats.duplicates).toBe(8);
    expect(store.stats.accepted).toBe(N + M);
  });
});
