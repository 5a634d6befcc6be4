/**
 * `--now` of site prune and site remove-worker is the gate's (src/cli/nowOption.ts): an instant
 * without Z or an offset would be read in the host's time zone and move "yesterday in Oslo", so it
 * is refused (exit 2) before the store opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../helpers/cli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hms-site-now-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('site --now', () => {
  it.each([
    ['prune', ['site', 'prune', '--db', 'memory://', '--config', 'site.json']],
    ['remove-worker', ['site', 'remove-worker', '--id', '1', '--to', '2026-04-04', '--db', 'memory://', '--config', 'site.json']],
  ])('site %s: no offset, or no instant at all, is exit 2 naming --now', async (_what, argv) => {
    for (const now of ['2026-04-04T23:30', 'tomorrow']) {
      const r = await runMain(dir, [...argv, '--now', now]);
      expect(r.status).toBe(2);
      expect(r.err).toContain(`--now: an ISO 8601 instant with Z or an offset expected, e.g. 2027-01-01T12:00:00Z (got "${now}")`);
    }
  });

  it('with an offset it is taken: prune reports the cutoff 30 days before it', async () => {
    const r = await runMain(dir, ['site', 'prune', '--db', 'memory://', '--config', 'site.json', '--now', '2026-04-30T02:00:00+02:00']);
    expect(r.out).toContain('raw events before 2026-03-31T00:00:00.000Z');
  });
});
