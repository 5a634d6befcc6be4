/**
 * `site ingest` takes exactly one source: --nats URL or --outbox DIR (repeatable). Neither, both, or
 * --count with --outbox is a usage error (exit 2) before any server or database is touched.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../../../helpers/cli.js';

describe('site ingest: --nats or --outbox', () => {
  it.each([
    ['neither', ['--db', 'x.pg']],
    ['both', ['--nats', 'nats://127.0.0.1:1', '--outbox', 'ob', '--db', 'x.pg']],
    ['--count with --outbox', ['--outbox', 'ob', '--count', '5', '--db', 'x.pg']],
  ])('%s: exit 2 naming the options, no store created', async (_what, args) => {
    const cwd = mkdtempSync(join(tmpdir(), 'hmsk-site-ingest-'));
    try {
      const r = await runMain(cwd, ['site', 'ingest', ...args]);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/--nats|--count/);
      expect(existsSync(join(cwd, 'x.pg'))).toBe(false);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('site ingest --nats with a password in the URL', () => {
  it('NATS not there: exit 4, and neither the start line nor the error shows the password', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hmsk-site-ingest-'));
    try {
      const r = await runMain(cwd, ['site', 'ingest', '--nats', 'nats://hms:S3CRET-pw@127.0.0.1:1', '--db', 'memory://', '--count', '1']);
      expect(r.status).toBe(4);
      expect(r.err).toContain('nats://hms:***@127.0.0.1:1');
      expect(r.err).toMatch(/NATS_UNAVAILABLE/);
      expect(r.out + r.err).not.toContain('S3CRET');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
