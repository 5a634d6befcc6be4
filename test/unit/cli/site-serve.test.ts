/**
 * `hmskort site serve` refusals before anything listens (issue 18 part 5): the token file is read
 * first, and a bad one is refused without its content appearing in any output. With --outbox or
 * --nats (it ingests too) the options are checked before the store opens, and a PGlite directory
 * held by another process is refused naming it (its lock file) and the one-process way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../helpers/cli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';
import { acquireDirLock } from '../../../src/fleet/store/dirLock.js';

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

describe('hmskort site serve --outbox/--nats: refusals before anything listens', () => {
  it('both --nats and --outbox: exit 2; an --outbox that cannot be read: exit 4 naming it', async () => {
    await writeFile(join(dir, 'token'), 'office-token-5f3a9c0e2b7d41a8\n');
    const both = await runMain(dir, [...args('token'), '--nats', 'nats://127.0.0.1:1', '--outbox', dir]);
    expect(both.status).toBe(2);
    expect(both.err).toMatch(/at most one of --nats URL and --outbox DIR/);
    const missing = await runMain(dir, [...args('token'), '--outbox', 'no-such-outbox']);
    expect(missing.status).toBe(4);
    expect(missing.err).toMatch(/--outbox \S*no-such-outbox: ENOENT/);
  });
});

describe('one PGlite directory, two commands: the refusal names the other process and the one-process way', () => {
  it.each([
    ['site serve while site ingest holds it', 'hmskort site ingest', ['site', 'serve', '--db', 'site-db', '--config', 'site.json', '--port', '0', '--token-file', 'token']],
    ['site ingest while site serve holds it', 'hmskort site serve', ['site', 'ingest', '--outbox', '.', '--db', 'site-db']],
  ])('%s: exit 4, the pid and the command of the holder, and site serve --outbox', async (_what, owner, argv) => {
    await writeFile(join(dir, 'token'), 'office-token-5f3a9c0e2b7d41a8\n');
    await writeFile(join(dir, 'seg-0000000000000001.jsonl'), '');
    const lock = await acquireDirLock(join(dir, 'site-db'), owner);
    try {
      const r = await runMain(dir, argv);
      expect(r.status).toBe(4);
      expect(r.err).toContain(`DB_LOCKED: ${join(dir, 'site-db')} is in use by process ${process.pid} (${owner})`);
      expect(r.err).toContain(`stop process ${process.pid} and run hmskort site serve --db site-db --outbox DIR (or --nats URL)`);
    } finally {
      await lock.release();
    }
  });
});

describe('site serve: where it listens', () => {
  it('a port another process holds: exit 4, EADDRINUSE named', async () => {
    const { createServer } = await import('node:net');
    await writeFile(join(dir, 'token'), 'office-token-5f3a9c0e2b7d41a8\n');
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const port = (other.address() as { port: number }).port;
      const r = await runMain(dir, ['site', 'serve', '--db', 'memory://', '--config', 'site.json', '--port', String(port), '--token-file', 'token']);
      expect(r.status).toBe(4);
      expect(r.err).toMatch(/EADDRINUSE/);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it.each([
    [[], '127.0.0.1'],
    [['--host', '127.0.0.2'], '127.0.0.2'],
  ])('%j listens on %s (and answers there)', async (extra, host) => {
    const { fakeContext } = await import('../../helpers/cli.js');
    const { main } = await import('../../../src/cli/main.js');
    await writeFile(join(dir, 'token'), 'office-token-5f3a9c0e2b7d41a8\n');
    const ac = new AbortController();
    const ctx = fakeContext({ cwd: dir, signal: ac.signal });
    const status = main([...args('token'), ...extra], ctx);
    const deadline = Date.now() + 30_000;
    while (!/http:\/\/\S+:\d+\//.test(ctx.out()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const url = /(http:\/\/(\S+):(\d+)\/)/.exec(ctx.out());
    try {
      expect(url?.[2]).toBe(host);
      const res = await fetch(url![1], { headers: { authorization: 'Bearer office-token-5f3a9c0e2b7d41a8' } });
      expect(res.status).toBe(200);
    } finally {
      ac.abort();
    }
    expect(await status).toBe(0);
  });
});

describe('the other site commands on a PGlite directory the page holds', () => {
  it.each([
    ['prune', ['site', 'prune', '--db', 'site-db', '--config', 'site.json']],
    ['list', ['site', 'list', '--site', 'kvartal7', '--date', '2026-03-29', '--db', 'site-db', '--config', 'site.json']],
  ])('site %s: exit 4 at once, naming the page and what it offers instead', async (_what, argv) => {
    const lock = await acquireDirLock(join(dir, 'site-db'), 'hmskort site serve');
    try {
      const r = await runMain(dir, argv);
      expect(r.status).toBe(4);
      expect(r.err).toContain(`is in use by process ${process.pid} (hmskort site serve)`);
      expect(r.err).toContain("the page's Download CSV gives a day's list, and site serve --prune-daily applies the retention while it runs");
    } finally {
      await lock.release();
    }
  });
});
