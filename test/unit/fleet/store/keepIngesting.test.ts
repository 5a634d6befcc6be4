/**
 * keepIngesting (src/fleet/store/ingestFrom.ts), the ingest under `site serve --outbox/--nats`:
 * what ends `site ingest` (NATS refusing the connection, an outbox held by another deliverer) is
 * reported and retried with a doubling pause, the loop never rejects, and an abort ends it. Real
 * parts: PGlite in memory, a TCP port nothing listens on, the outbox lock of another holder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { keepIngesting } from '../../../../src/fleet/store/ingestFrom.js';
import { acquireDirLock } from '../../../../src/fleet/store/dirLock.js';
import { readCursor, segmentName } from '../../../../src/fleet/outboxFiles.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';
import { eventually as until } from '../../../helpers/fleet.js';

let db: SqlDb;
let dir = '';
beforeAll(async () => {
  db = await openEventStore('memory://');
  dir = await mkdtemp(join(tmpdir(), 'hms-keep-'));
}, 120_000);
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('keepIngesting: the ingest of site serve outlives what ends site ingest', () => {
  it('NATS refusing the connection: each stop reported, retried after 20, 40, 80, 80 ms; an abort ends it without a rejection', async () => {
    const ac = new AbortController();
    const stops: { code: unknown; ms: number }[] = [];
    const running = keepIngesting({
      source: { nats: 'nats://127.0.0.1:1' },
      db,
      signal: ac.signal,
      retryMinMs: 20,
      retryMaxMs: 80,
      onStopped: (e, ms) => {
        stops.push({ code: (e as { code?: unknown }).code, ms });
        if (stops.length === 4) ac.abort();
      },
    });
    await expect(running).resolves.toBeUndefined();
    expect(stops).toEqual([20, 40, 80, 80].map((ms) => ({ code: 'NATS_UNAVAILABLE', ms })));
  }, 30_000);

  it('an outbox held by another deliverer: reported and retried; once it is free, every event is stored once and the cursor is at the end', async () => {
    const box = join(dir, 'kvartal7.north');
    await mkdir(box, { recursive: true });
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify(presenceEvent('north', i + 1, 'kvartal7')) + '\n');
    await writeFile(join(box, segmentName(1)), lines.join(''));
    const other = await acquireDirLock(join(box, 'ingest'), 'hmskort site ingest');
    const ac = new AbortController();
    const stops: string[] = [];
    const running = keepIngesting({ source: { outboxes: [dir] }, db, signal: ac.signal, retryMinMs: 20, retryMaxMs: 100, onStopped: (e) => stops.push(e.message) });
    try {
      await until('two refusals', () => stops.length >= 2);
      expect(stops[0]).toMatch(/^DB_LOCKED: .*in use by process \d+ \(hmskort site ingest\) \(lock .*ingest\.lock\); one deliverer per outbox$/);
      await other.release();
      await until('12 events stored', async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE site_id = 'kvartal7'")).rows[0].n === 12);
      await until('the cursor at 12', async () => (await readCursor(box)) === 12);
    } finally {
      ac.abort();
      await running;
      await other.release();
    }
    expect((await db.query<{ n: number }>("SELECT count(DISTINCT seq)::int AS n FROM events WHERE site_id = 'kvartal7' AND gate_id = 'north'")).rows[0].n).toBe(12);
  }, 60_000);
});
