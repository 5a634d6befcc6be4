/**
 * EventOutbox (issue 17 part 2) on a real directory: seqs from 1 without gaps, continued after a
 * reopen; delivery to an idempotent sink (MemoryEventSink, keyed on (gateId, seq) like the stores)
 * with retry; the cursor file; a torn last line cut; a resend after a lost cursor ignored by the
 * sink; the bounds (queue, bytes) and a full disk (/dev/full: every write fails with ENOSPC) counted
 * and reported, never thrown at the caller. The expected seqs are counted by the test, not read back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventOutbox, type EventOutboxOptions } from '../../../src/fleet/outbox.js';
import { MemoryEventSink } from '../../../src/fleet/memorySink.js';
import type { FleetError } from '../../../src/fleet/errors.js';
import type { GateDecisionEvent } from '../../../src/gate/gate.js';

const dirs: string[] = [];
const boxes: EventOutbox[] = [];
afterEach(async () => {
  for (const b of boxes.splice(0)) await b.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'hmsk-outbox-'));
  dirs.push(d);
  return d;
}

async function openBox(dir: string, more: Partial<EventOutboxOptions> = {}): Promise<{ box: EventOutbox; errors: FleetError[] }> {
  const box = await EventOutbox.open({ dir, gateId: 'gate-7', site: 'oslo-1', retryMinMs: 1, retryMaxMs: 5, sync: false, ...more });
  const errors: FleetError[] = [];
  box.on('error', (e) => errors.push(e));
  boxes.push(box);
  return { box, errors };
}

const decision = (i: number, extra: Partial<GateDecisionEvent> = {}): GateDecisionEvent => ({
  allow: true,
  reason: 'ok',
  uid: '04000001',
  at: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(),
  timings: { totalUs: 1, readUs: 0.5, decodeUs: 0.2, decideUs: 0.3 },
  cardNumber: String(1000 + i),
  ...extra,
});

async function close(box: EventOutbox): Promise<void> {
  boxes.splice(boxes.indexOf(box), 1);
  await box.close();
}

describe('EventOutbox', () => {
  it('numbers events from 1 without gaps, delivers each once, keeps the cursor, continues after a reopen', async () => {
    const dir = tmp();
    const sink = new MemoryEventSink();
    let { box } = await openBox(dir, { sink, segmentBytes: 1000, batchSize: 7 });
    for (let i = 0; i < 40; i++) box.record(decision(i, i === 3 ? { hotlistRevision: 12, staleHotlist: true } : { hotlistRevision: 11 }));
    await box.drained(5000);
    const got = sink.eventsOf('gate-7');
    expect(got.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(got[3]).toMatchObject({ gateId: 'gate-7', site: 'oslo-1', seq: 4, hotlistRevision: 12, staleHotlist: true, decision: { cardNumber: '1003', reason: 'ok' } });
    expect(got[0]).not.toHaveProperty('staleHotlist');
    expect(got[0].decision).not.toHaveProperty('timings');
    expect(got[0].decision).not.toHaveProperty('hotlistRevision');
    expect(readFileSync(join(dir, 'delivered'), 'utf8')).toBe('40\n');
    // Delivered segments are deleted (1000-byte segments, 40 lines of about 200 bytes): the newest stays.
    expect(readdirSync(dir).filter((n) => n.startsWith('seg-')).length).toBe(1);
    await close(box);
    ({ box } = await openBox(dir, { sink }));
    expect(box.seq).toBe(41);
    box.record(decision(40));
    await box.drained(5000);
    expect(sink.eventsOf('gate-7').map((e) => e.seq).at(-1)).toBe(41);
    expect(sink.stats).toMatchObject({ accepted: 41, duplicates: 0 });
  });

  it('retries a failing sink with backoff (SINK_FAILED counted and reported), then delivers', async () => {
    const sink = new MemoryEventSink();
    sink.failNext(3);
    const { box, errors } = await openBox(tmp(), { sink });
    for (let i = 0; i < 5; i++) box.record(decision(i));
    await box.drained(5000);
    expect(box.stats).toMatchObject({ appended: 5, delivered: 5, sendErrors: 3, dropped: 0 });
    expect(errors.map((e) => [e.code, e.kind])).toEqual(Array(3).fill(['SINK_FAILED', 'device']));
    expect(sink.stats.accepted).toBe(5);
  });

  it('a sink that stops answering times out (sendTimeoutMs) and is tried again', async () => {
    const sink = new MemoryEventSink();
    sink.hang();
    const { box, errors } = await openBox(tmp(), { sink, sendTimeoutMs: 20 });
    box.record(decision(0));
    await new Promise((r) => setTimeout(r, 60));
    sink.hang(false);
    await box.drained(5000);
    expect(errors[0].message).toContain('took longer than 20 ms');
    expect(sink.stats.accepted).toBe(1);
  });

  it('events recorded without a sink are delivered by the next process that opens the outbox with one', async () => {
    const dir = tmp();
    let { box } = await openBox(dir);
    for (let i = 0; i < 3; i++) box.record(decision(i));
    await box.flush();
    await close(box);
    const sink = new MemoryEventSink();
    ({ box } = await openBox(dir, { sink }));
    await box.drained(5000);
    expect(sink.eventsOf('gate-7').map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('a cursor lost after the sink took a batch means a resend, which the sink ignores (at least once, counted once)', async () => {
    const dir = tmp();
    const sink = new MemoryEventSink();
    let { box } = await openBox(dir, { sink });
    for (let i = 0; i < 4; i++) box.record(decision(i));
    await box.drained(5000);
    await close(box);
    writeFileSync(join(dir, 'delivered'), '1\n');
    ({ box } = await openBox(dir, { sink }));
    await box.drained(5000);
    expect(sink.stats).toMatchObject({ accepted: 4, duplicates: 3 });
    expect(box.seq).toBe(5);
  });

  it('a torn last line (a crash mid-append) is cut off at open; the seq continues after the last whole line', async () => {
    const dir = tmp();
    let { box } = await openBox(dir);
    for (let i = 0; i < 2; i++) box.record(decision(i));
    await box.flush();
    await close(box);
    const seg = join(dir, readdirSync(dir).find((n) => n.startsWith('seg-'))!);
    appendFileSync(seg, '{"gateId":"gate-7","seq":3,"dec');
    ({ box } = await openBox(dir));
    expect(box.seq).toBe(3);
    expect(readFileSync(seg, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('bounded: past maxBytes new events are dropped and counted, OUTBOX_FULL reported once; record never throws', async () => {
    const sink = new MemoryEventSink();
    sink.hang();
    const { box, errors } = await openBox(tmp(), { sink, maxBytes: 1000, sendTimeoutMs: 60_000 });
    for (let i = 0; i < 30; i++) {
      box.record(decision(i));
      await box.flush();
    }
    box.record(null as never);
    expect(box.stats.appended).toBeGreaterThan(0);
    expect(box.stats.appended + box.stats.dropped).toBe(31);
    expect(box.stats.dropped).toBeGreaterThan(20);
    expect(errors.filter((e) => e.code === 'OUTBOX_FULL').length).toBe(1);
    expect(box.seq).toBe(box.stats.appended + 1);
    sink.hang(false);
  });

  it('a full disk (writes fail with ENOSPC): events dropped and counted, OUTBOX_IO, no seq taken; appends resume after', async () => {
    const dir = tmp();
    const { box, errors } = await openBox(dir);
    symlinkSync('/dev/full', join(dir, 'seg-0000000000000001.jsonl'));
    box.record(decision(0));
    box.record(decision(1));
    await box.flush();
    expect(box.stats).toMatchObject({ appended: 0, dropped: 2, ioErrors: 1 });
    expect(errors[0].code).toBe('OUTBOX_IO');
    expect(errors[0].message).toContain('ENOSPC');
    expect(box.seq).toBe(1);
    unlinkSync(join(dir, 'seg-0000000000000001.jsonl'));
    box.record(decision(2));
    await box.flush();
    expect(box.seq).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'seg-0000000000000001.jsonl'), 'utf8')).seq).toBe(1);
  });

  it('past maxQueued (the disk not keeping up) events are dropped, counted, never queued without end', async () => {
    const { box } = await openBox(tmp(), { maxQueued: 5 });
    for (let i = 0; i < 12; i++) box.record(decision(i));
    await box.flush();
    expect(box.stats).toMatchObject({ appended: 5, dropped: 7 });
  });
});
