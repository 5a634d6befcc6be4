/**
 * `hmskort site serve` refusals before anything listens (issue 18 part 5): the token file is read
 * first, and a bad one is refused without its content appearing in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../helpers/cli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hms-serve-cli-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const args = (token: string) => ['site', 'serve', '--db', 'memory://', '--config', 'site.json', '--port', '0', '--token-file', token];

describe('hmskort site serve: the token file', () => {
  it.each([
    ['short', 'abc123secret\n'],
    ['with a space', 'abcdefgh ijklmnopqrs\n'],
    ['two lines', 'abcdefghijklmnopqrs\nsecond-line-secret\n'],
    ['empty', ''],
  ])('%s: exit 3, the content never printed', async (_what, content) => {
    await writeFile(join(dir, 'token'), content);
    const r = await runMain(dir, args('token'));
    expect(r.status).toBe(3);
    expect(r.err).toMatch(/--token-file .*token: expected one line of at least 16 characters/);
    for (const part of content.split(/\s+/).filter(Boolean)) expect(r.out + r.err).not.toContain(part);
  });

  it('unreadable: exit 4; missing option: exit 2; a port out of range: exit 2', async () => {
    expect((await runMain(dir, args('nope'))).status).toBe(4);
    expect((await runMain(dir, ['site', 'serve', '--db', 'memory://', '--config', 'site.json', '--port', '0'])).status).toBe(2);
    expect((await runMain(dir, ['site', 'serve', '--db', 'memory://', '--config', 'site.json', '--port', '65536', '--token-file', 'token'])).status).toBe(2);
  });
});
