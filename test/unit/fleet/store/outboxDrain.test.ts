/**
 * `site ingest --outbox DIR --drain` (runOutboxIngest with `drain`): delivers what the outboxes hold
 * when it starts and resolves by itself (cron), on PGlite in memory. The outbox is written as the
 * gate writes it (docs/fleet.md: seg-<first seq, 16 digits>.jsonl, one PresenceEvent per line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../../../../src/fleet/store/open.js';
import { runOutboxIngest } from '../../../../src/fleet/store/outboxIngest.js';
import { segmentName } from '../../../../src/fleet/outboxFiles.js';
import type { SqlDb } from '../../../../src/fleet/store/db.js';
import { presenceEvent } from '../../../helpers/presenceEvents.js';

let db: SqlDb;
let dir = '';
beforeAll(async () => {
  db = await openEventStore('memory://');
  dir = await mkdtemp(join(tmpdir(), 'hms-drain-'));
}, 120_000);
afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function writeOutbox(path: string, gateId: string, segments: [number, number][]): Promise<void> {
  await mkdir(path, { recursive: true });
  for (const [first, last] of segments) {
    const lines = Array.from({ length: last - first + 1 }, (_, i) => JSON.stringify(presenceEvent(gateId, first + i, 'oslo-1')) + '\n');
    await writeFile(join(path, segmentName(first)), lines.join(''));
  }
}

describe('site ingest --outbox --drain', () => {
  it('stores everything in two outboxes (several segments) and resolves without being stopped', async () => {
    await writeOutbox(join(dir, 'oslo-1.g1'), 'g1', [[1, 30], [31, 50]]);
    await writeOutbox(join(dir, 'oslo-1.g2'), 'g2', [[1, 7]]);
    // The signal only guards the test: a drain that does not stop by itself is aborted and fails below.
    const guard = AbortSignal.timeout(20_000);
    const p = await runOutboxIngest({ dirs: [dir], db, signal: guard, drain: true, batch: 16, pollMs: 50 });
    expect(guard.aborted).toBe(false);
    expect(p).toMatchObject({ inserted: 57, duplicates: 0, errors: 0 });
    const { rows } = await db.query<{ gate_id: string; n: number; max: number }>('SELECT gate_id, count(*)::int AS n, max(seq)::int AS max FROM events GROUP BY gate_id ORDER BY gate_id');
    expect(rows).toEqual([{ gate_id: 'g1', n: 50, max: 50 }, { gate_id: 'g2', n: 7, max: 7 }]);
  }, 30_000);
});
