/**
 * `site export --password-file` (issue 18 part 4, secrets): a file that holds no password on one
 * line is bad input (exit 3, as a bad token file for site serve), and what it holds is never printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../helpers/cli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hms-export-pw-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify({ ...SITE_A_JSON, hmsregNumber: 'HMS-1' }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('site export --password-file', () => {
  it.each([
    ['empty', ''],
    ['a bare newline', '\n'],
    ['two lines', 'hemmelig-en\nhemmelig-to\n'],
  ])('%s: exit 3 naming the file, its content never printed', async (_what, content) => {
    await writeFile(join(dir, 'pw'), content);
    const r = await runMain(dir, ['site', 'export', '--hmsreg', 'http://127.0.0.1:1', '--user', 'u', '--password-file', 'pw', '--db', 'memory://', '--config', 'site.json']);
    expect(r.status).toBe(3);
    expect(r.err).toContain('--password-file pw: expected the password on one line');
    expect(r.out + r.err).not.toMatch(/hemmelig/);
  });
});
