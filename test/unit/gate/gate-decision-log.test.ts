/**
 * The gate's decision log (src/gate/decisionLog.ts): JSON Lines appended off the decision path,
 * rotated by size without losing, splitting or repeating a line, never throwing into the gate.
 * Expected values are the records the test writes itself (counted and compared line by line), and
 * the spec's signed card example (card number 123456) for the line a real tap produces.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionLog, logDecisions } from '../../../src/gate/decisionLog.js';
import { Gate } from '../../../src/gate/gate.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { cardExamples } from '../../helpers/cardExamples.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'hmskort-log-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
const record = (i: number) => ({ seq: i, allow: i % 3 !== 0, reason: i % 3 ? 'ok' : 'hotlisted', uid: `04${String(i).padStart(6, '0')}`, note: 'ø'.repeat(i % 5) });

describe('decision log (JSON Lines)', () => {
  it('write() returns before the disk is touched; flush() appends every line, in order', async () => {
    const path = join(tmp(), 'gate.jsonl');
    const log = new DecisionLog({ path });
    for (let i = 0; i < 50; i++) log.write(record(i));
    // Nothing is written synchronously: the append happens on a later turn of the event loop.
    expect(existsSync(path)).toBe(false);
    await log.flush();
    expect(lines(path).map((l) => JSON.parse(l))).toEqual(Array.from({ length: 50 }, (_, i) => record(i)));
    expect(log.stats).toMatchObject({ written: 50, dropped: 0, errors: 0 });
  });

  it('rotates by size: whole lines, no file over maxBytes, nothing lost or repeated', async () => {
    const path = join(tmp(), 'gate.jsonl');
    const maxBytes = 1000;
    const log = new DecisionLog({ path, maxBytes, keep: 100 });
    const n = 400;
    // Written in bursts across event-loop turns, so rotation happens inside and between appends.
    for (let i = 0; i < n; i++) {
      log.write(record(i));
      if (i % 37 === 0) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    const files = [path, ...Array.from({ length: 100 }, (_, k) => `${path}.${k + 1}`)].filter(existsSync);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      expect(statSync(f).size).toBeLessThanOrEqual(maxBytes);
      expect(readFileSync(f, 'utf8').endsWith('\n')).toBe(true);
    }
    // Oldest file is the highest number; read back oldest first they give exactly what was written.
    const all = [...files.slice(1).reverse(), path].flatMap(lines).map((l) => JSON.parse(l));
    expect(all).toEqual(Array.from({ length: n }, (_, i) => record(i)));
    expect(log.stats.rotations).toBe(files.length - 1);
  });

  it('keeps only `keep` rotated files: the newest lines, contiguous', async () => {
    const path = join(tmp(), 'gate.jsonl');
    const log = new DecisionLog({ path, maxBytes: 600, keep: 2 });
    for (let i = 0; i < 300; i++) log.write(record(i));
    await log.close();
    expect(existsSync(`${path}.3`)).toBe(false);
    const kept = [`${path}.2`, `${path}.1`, path].flatMap(lines).map((l) => JSON.parse(l).seq as number);
    expect(kept.at(-1)).toBe(299);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 300 - kept.length + i));
  });

  it('a restarted gate appends to the existing file, and its size counts toward rotation', async () => {
    const path = join(tmp(), 'gate.jsonl');
    const a = new DecisionLog({ path, maxBytes: 10_000 });
    for (let i = 0; i < 3; i++) a.write(record(i));
    await a.close();
    const b = new DecisionLog({ path, maxBytes: statSync(path).size + 10 });
    b.write(record(3));
    await b.close();
    // The file was nearly full: the new line went to a fresh file after rotating the old one.
    expect(lines(`${path}.1`).map((l) => JSON.parse(l).seq)).toEqual([0, 1, 2]);
    expect(lines(path).map((l) => JSON.parse(l).seq)).toEqual([3]);
  });

  it('an unwritable path: error events and dropped counts, never a throw', async () => {
    const path = join(tmp(), 'no-such-dir', 'gate.jsonl');
    const log = new DecisionLog({ path });
    const errors: Error[] = [];
    log.on('error', (e) => errors.push(e));
    for (let i = 0; i < 5; i++) log.write(record(i));
    await log.flush();
    log.write(record(5));
    await log.close();
    expect(errors.length).toBeGreaterThan(0);
    expect((errors[0] as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(log.stats).toMatchObject({ written: 0, dropped: 6 });
  });

  // Rotation made to fail: `<path>.1` is a non-empty directory, so rename(path, path.1) fails
  // (EISDIR/ENOTEMPTY) even for root, which ignores permission bits.
  const blockRotation = (path: string) => {
    mkdirSync(`${path}.1`);
    writeFileSync(join(`${path}.1`, 'x'), '');
  };
  const whole = (f: string) => lines(f).map((l) => JSON.parse(l) as { seq: number });

  it('rotation failing for good: the file stops at twice maxBytes, one error per retry window, every line whole and counted', async () => {
    const path = join(tmp(), 'gate.jsonl');
    blockRotation(path);
    const maxBytes = 1000;
    const log = new DecisionLog({ path, maxBytes, keep: 1, rotateRetryMs: 3_600_000 });
    const errors: Error[] = [];
    log.on('error', (e) => errors.push(e));
    const n = 300;
    for (let i = 0; i < n; i++) {
      log.write(record(i));
      if (i % 10 === 9) await log.flush(); // 30 separate appends, most of them wanting a rotation
    }
    await log.close();
    expect(statSync(path).size).toBeLessThanOrEqual(2 * maxBytes);
    expect(statSync(path).size).toBeGreaterThan(maxBytes); // it did go on logging past maxBytes
    expect(errors.length).toBe(1); // one failed rotation, then no retry inside the window
    const kept = whole(path).map((r) => r.seq);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i)); // the first lines, in order
    expect(log.stats).toMatchObject({ written: kept.length, dropped: n - kept.length, rotations: 0, errors: 1 });
  });

  it('rotation failing for a while: retried, and once it works the files are bounded again', async () => {
    const path = join(tmp(), 'gate.jsonl');
    blockRotation(path);
    const log = new DecisionLog({ path, maxBytes: 1000, keep: 1, rotateRetryMs: 0 });
    let errors = 0;
    log.on('error', () => errors++);
    for (let i = 0; i < 40; i++) log.write(record(i));
    await log.flush();
    expect(errors).toBeGreaterThan(0);
    rmSync(`${path}.1`, { recursive: true });
    for (let i = 40; i < 100; i++) log.write(record(i));
    await log.close();
    expect(log.stats.rotations).toBeGreaterThan(0);
    expect(statSync(path).size).toBeLessThanOrEqual(1000);
    const tail = [...whole(`${path}.1`), ...whole(path)].map((r) => r.seq);
    expect(tail.at(-1)).toBe(99);
    expect(tail).toEqual(Array.from({ length: tail.length }, (_, i) => 100 - tail.length + i));
  });

  it("an 'error' listener that throws stops neither the log nor the caller", async () => {
    const path = join(tmp(), 'no-such-dir', 'gate.jsonl');
    const log = new DecisionLog({ path });
    let calls = 0;
    log.on('error', () => {
      calls++;
      throw new Error('bug in the listener');
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => log.write(cyclic)).not.toThrow(); // JSON.stringify fails inside write()
    log.write(record(1));
    await log.flush(); // the append fails inside drain(): must not become an unhandled rejection
    log.write(record(2));
    await log.close();
    expect(calls).toBe(3);
    expect(log.stats).toMatchObject({ written: 0, dropped: 3, errors: 3 });
  });

  it('a full queue drops and counts instead of growing', async () => {
    const path = join(tmp(), 'gate.jsonl');
    const log = new DecisionLog({ path, maxQueued: 10 });
    for (let i = 0; i < 25; i++) log.write(record(i));
    await log.close();
    expect(lines(path).map((l) => JSON.parse(l).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.stats).toMatchObject({ written: 10, dropped: 15 });
  });

  it('rejects nonsense options', () => {
    expect(() => new DecisionLog({ path: '' })).toThrow(TypeError);
    expect(() => new DecisionLog({ path: 'x', maxBytes: 0 })).toThrow(RangeError);
    expect(() => new DecisionLog({ path: 'x', keep: -1 })).toThrow(RangeError);
    expect(() => new DecisionLog({ path: 'x', rotateRetryMs: Number.NaN })).toThrow(RangeError);
  });

  it('logs what a Gate decides: one line per tap with the decision and its timings', async () => {
    const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
    const path = join(tmp(), 'gate.jsonl');
    const log = new DecisionLog({ path });
    const gate = new Gate({ readMaster: ex.readMaster, clock: () => Date.parse('2027-01-01T12:00:00Z') });
    logDecisions(gate, log);
    const card = VirtualMifareClassic1K.fromBlocks(ex.blocks);
    await gate.tap(card);
    await gate.tap(new VirtualMifareClassic1K('04a1b2c3')); // a blank card: our key fails
    await log.close();
    const [ok, blank] = lines(path).map((l) => JSON.parse(l));
    // The spec's signed card example: card number 123456, valid on 2027-01-01, no hot list.
    expect(ok).toMatchObject({ allow: true, reason: 'ok', cardNumber: '123456', at: '2027-01-01T12:00:00.000Z' });
    expect(typeof ok.timings.totalUs).toBe('number');
    expect(blank).toMatchObject({ allow: false, reason: 'invalid', error: 'AUTH_FAILED', uid: '04a1b2c3' });
  });
});
