/**
 * `hmskort site ingest` end to end, the built CLI (`node bin/hmskort.js`, built by
 * `npx tsc -p tsconfig.build.json`) against a real nats-server and a real PostgreSQL 15 (and a
 * PGlite directory): it prints a progress line while it works, stops on SIGTERM after the batch in
 * hand with exit 0 and a final line, and every event published is in the store once.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, BUILT, ROOT } from '../../helpers/batchCli.js';
import { fleetServersMissing, useFleetServers } from '../../helpers/fleetServers.js';
import { publishEvents, publishRaw } from '../../helpers/eventStream.js';
import { presenceEvents } from '../../helpers/presenceEvents.js';
import { openEventStore } from '../../../src/fleet/store/open.js';

const missing = fleetServersMissing();
const servers = useFleetServers('hmssitecli', !missing && BUILT);

interface Run {
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr matches `re` (bounded). */
  waitFor(re: RegExp, ms: number): Promise<void>;
  stop(): Promise<number | null>;
  /** The exit status, waiting at most `ms`. */
  exit(ms: number): Promise<number | null>;
}

function startCli(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    stderr: () => err,
    stdout: () => out,
    async waitFor(re, ms) {
      const until = Date.now() + ms;
      while (!re.test(err)) {
        if (Date.now() > until || child.exitCode !== null) throw new Error(`waited ${ms} ms for ${re} on stderr; got:\n${err}\nstdout:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async exit(ms) {
      const t = setTimeout(() => child.kill('SIGKILL'), ms);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

describe.skipIf(missing || !BUILT)('hmskort site ingest (built CLI; needs npx tsc -p tsconfig.build.json)', () => {
  it.each([
    ['PostgreSQL', () => servers.pg.createDatabase('site_cli')],
    ['PGlite', async () => join(servers.tmp, 'site.pg')],
  ])('%s: progress line, SIGTERM stops it with exit 0, every event stored once', async (_name, target) => {
    const db = await target();
    const events = presenceEvents(['g1', 'g2'], 150);
    await publishEvents(servers.nc, events);
    await publishRaw(servers.nc, 'ev.site1.g1', 'garbage');
    const run = startCli(['site', 'ingest', '--nats', servers.nats.url, '--db', db]);
    try {
      await run.waitFor(/total 301 \(300 new, 0 duplicates\), 1 error/, 60_000);
      expect(run.stderr()).toMatch(/^ingest: [0-9.]+ events\/s, total \d+ \(\d+ new, \d+ duplicates\), \d+ errors?, 0 retries$/m);
    } finally {
      expect(await run.stop()).toBe(0);
    }
    expect(run.stdout()).toMatch(/^ingest: [0-9.]+ events\/s, total 301 \(300 new, 0 duplicates\), 1 error, 0 retries\n$/);
    const store = await openEventStore(db);
    try {
      expect((await store.query<{ n: number }>('SELECT count(DISTINCT (gate_id, seq))::int AS n FROM events')).rows[0].n).toBe(300);
      expect((await store.query<{ n: number }>('SELECT count(*)::int AS n FROM ingest_errors')).rows[0].n).toBe(1);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a --db that is neither PostgreSQL nor a directory: exit 3 with the reason', async () => {
    const run = startCli(['site', 'ingest', '--nats', servers.nats.url, '--db', 'mysql://h/db']);
    expect(await run.exit(30_000)).toBe(3);
    expect(run.stderr()).toMatch(/BAD_DB_TARGET: mysql:\/\/h\/db: not a postgres:\/\/ URL/);
  }, 40_000);

  it('a NATS server that is not there: exit 4 with the reason, no hang', async () => {
    const run = startCli(['site', 'ingest', '--nats', 'nats://127.0.0.1:1', '--db', await servers.pg.createDatabase('site_cli_nonats')]);
    expect(await run.exit(30_000)).toBe(4);
    expect(run.stderr()).toMatch(/NATS_UNAVAILABLE: cannot connect to nats:\/\/127\.0\.0\.1:1/);
  }, 40_000);
});
