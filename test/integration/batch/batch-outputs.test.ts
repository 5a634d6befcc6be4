/**
 * Issue 19 items 10, 22 and 23: outputs and devices are checked before the first card; a full disk
 * under the journal (a real tmpfs, mounted when this runs as root) names the journal and the run
 * after it resumes; card images are 0600 and a failed image write leaves no temporary file.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';
import { writeJsonAtomic } from '../../../src/testing/cardStack.js';
import { BATCH_ARGS, BUILT, batchDir, journalEntries, killRunning, runCli } from '../../helpers/batchCli.js';

afterEach(killRunning);

describe('outputs are checked before the first card (item 10)', () => {
  it('--print-dir under a regular file: fails at once naming the path; no card touched', async () => {
    const dir = batchDir(1);
    writeFileSync(join(dir, 'plain'), 'a regular file');
    const ctx = fakeContext({ cwd: dir });
    expect(await main([...BATCH_ARGS, '--print-dir', 'plain/print'], ctx)).toBe(4);
    expect(ctx.err()).toContain(`--print-dir ${join(dir, 'plain/print')}: print files cannot be written there`);
    expect(ctx.err()).toContain('nothing was encoded');
    expect(ctx.out()).not.toMatch(/card f0/);
    expect(existsSync(join(dir, 'j.jsonl.cards/stack.json'))).toBe(false);
    expect(journalEntries(dir).map((e) => e.t)).toEqual(['batch']);
  });

  it('--stripe naming no device: fails at once naming the port; no card touched', async () => {
    const dir = batchDir(1);
    const ctx = fakeContext({ cwd: dir });
    expect(await main([...BATCH_ARGS, '--stripe', join(dir, 'no-such-tty')], ctx)).toBe(4);
    expect(ctx.err()).toContain(`--stripe ${join(dir, 'no-such-tty')}: the stripe encoder cannot be used`);
    expect(existsSync(join(dir, 'j.jsonl.cards/stack.json'))).toBe(false);
  });
});

describe('card images (item 23)', () => {
  it('field and tray images hold derived keys: mode 0600', async () => {
    const dir = batchDir(2);
    expect(await main(BATCH_ARGS, fakeContext({ cwd: dir }))).toBe(0);
    const tray = join(dir, 'j.jsonl.cards/tray');
    const modes = readdirSync(tray).map((f) => statSync(join(tray, f)).mode & 0o777);
    expect(modes).toEqual([0o600, 0o600]);
  });
});

// A real full disk: a tmpfs a few pages large. Only as root, and only where mount works.
const mounts: string[] = [];
function tinyTmpfs(kb: number): string | undefined {
  const mnt = mkdtempSync(join(tmpdir(), 'hmsk-tmpfs-'));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', mnt]).status !== 0) return undefined;
  mounts.push(mnt);
  return mnt;
}
afterAll(() => {
  for (const m of mounts) {
    spawnSync('umount', [m]);
    rmSync(m, { recursive: true, force: true });
  }
});
const canMount = process.getuid?.() === 0 && spawnSync('which', ['mount']).status === 0;

describe.skipIf(!canMount)('a full disk (tmpfs; needs root)', () => {
  it('a failed image write leaves no 0-byte temporary file', () => {
    const mnt = tinyTmpfs(8);
    if (!mnt) return expect.fail('mount -t tmpfs failed');
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(8 * 1024));
    expect(() => writeJsonAtomic(join(mnt, 'field.json'), { blocks: 'x'.repeat(5000) })).toThrow(/ENOSPC/);
    expect(readdirSync(mnt)).toEqual(['filler']);
  });

  it.skipIf(!BUILT)('ENOSPC on the journal names the file and how to resume; the next run resumes, each order once', async () => {
    // 3 pages: the lock file, the journal's first page, and a filler page freed later.
    const mnt = tinyTmpfs(12);
    if (!mnt) return expect.fail('mount -t tmpfs failed');
    const dir = batchDir(20);
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(4096));
    const args = ['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', join(mnt, 'j.jsonl'), '--virtual-dir', join(dir, 'cards')];
    const full = await runCli(dir, args).exit;
    expect(full.code, full.out + full.err).toBe(4);
    expect(full.err).toMatch(new RegExp(`journal ${join(mnt, 'j.jsonl')}: could not write the '(begin|done)' line of order k\\d+ \\(ENOSPC`));
    expect(full.err).toContain('run the same command again: it resumes');
    rmSync(join(mnt, 'filler'));
    const next = await runCli(dir, args).exit;
    expect(next.code, next.out + next.err).toBe(0);
    const lines = spawnSync('cat', [join(mnt, 'j.jsonl')], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const done = lines.filter((e: { t: string }) => e.t === 'done');
    expect(done.map((e: { order: number }) => e.order)).toEqual([...Array(20).keys()]);
    expect(new Set(done.map((e: { uid: string }) => e.uid)).size).toBe(20);
  }, 120_000);
});
