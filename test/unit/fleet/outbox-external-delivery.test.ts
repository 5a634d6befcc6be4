/**
 * An outbox without a sink is delivered by another process (`site ingest --outbox`,
 * src/fleet/store/outboxIngest.ts), which deletes the segments it has delivered. The gate's byte
 * bound (maxBytes) must count what is on disk, not what this process appended since it started:
 * otherwise a gate on one machine drops every event (OUTBOX_FULL) once maxBytes have passed through.
 * The other process is played here by deleting every segment but the newest, as it does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventOutbox } from '../../../src/fleet/outbox.js';
import type { FleetError } from '../../../src/fleet/errors.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('EventOutbox delivered by another process', () => {
  it('segments deleted by the deliverer free their bytes: 10 x maxBytes pass through, none dropped', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmsk-outbox-ext-'));
    const box = await EventOutbox.open({ dir, gateId: 'g1', site: 's1', maxBytes: 3000, segmentBytes: 500, sync: false });
    const errors: FleetError[] = [];
    box.on('error', (e) => errors.push(e));
    const N = 200; // about 150 bytes each: 30 000 bytes, ten times maxBytes
    for (let i = 0; i < N; i++) {
      box.record({ allow: true, reason: 'ok', uid: '04000001', at: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(), timings: { totalUs: 1, readUs: 0, decodeUs: 0, decideUs: 0 }, cardNumber: String(i + 1) });
      await box.flush();
      const segs = readdirSync(dir).filter((n) => n.startsWith('seg-')).sort();
      for (const s of segs.slice(0, -1)) unlinkSync(join(dir, s));
    }
    await box.close();
    expect(errors.map((e) => e.code)).toEqual([]);
    expect(box.stats).toMatchObject({ appended: N, dropped: 0 });
  });
});
