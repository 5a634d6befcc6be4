/**
 * `hmskort batch --printer` in process (src/cli/commands/batchPrinter.ts): the dry run through the
 * Evolis emulator and the real driver finishes every order with a line per good card and a summary
 * whose counts agree with the journal, and the combinations that make no sense are usage errors
 * (exit 2) before any card is touched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../../src/cli/main.js';
import { fakeContext } from '../../../helpers/cli.js';
import { batchDir } from '../../../helpers/batchCli.js';
import { journalLines } from '../../../helpers/batchStack.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const BASE = ['batch', 'orders.csv', '--keys', 'keys.json', '--journal', 'j.jsonl'];

describe('hmskort batch --printer (emulator / scripted replies; no real printer)', () => {
  it('--printer emulator --reader virtual: every order good, the summary and the journal agree', async () => {
    const dir = batchDir(3);
    dirs.push(dir);
    const ctx = fakeContext({ cwd: dir });
    const status = await main([...BASE, '--printer', 'emulator', '--reader', 'virtual'], ctx);
    expect(ctx.err()).toBe('');
    expect(status).toBe(0);
    expect(ctx.out().match(/^order k\d \(line \d\): card e[0-9a-f]{7} good .*\[\d\/3 good, 0 rejected\]$/gm)).toHaveLength(3);
    expect(ctx.out()).toContain('batch done: 3 orders, 3 good now, 0 done before, 0 card(s) rejected now, 0 invalid skipped');
    const lines = journalLines(join(dir, 'j.jsonl'));
    expect(lines.map((e) => e.t)).toEqual(['batch', ...Array(3).fill(['begin', 'print', 'done']).flat()]);
  }, 30_000);

  it('a dry run stopped and run again resumes on a new emulator whose blanks carry new UIDs', async () => {
    const dir = batchDir(3);
    dirs.push(dir);
    const ac = new AbortController();
    const first = fakeContext({ cwd: dir, signal: ac.signal, stdout: (t) => void (t.includes(' good ') && ac.abort()) });
    expect(await main([...BASE, '--printer', 'emulator', '--reader', 'virtual'], first)).toBe(1);
    const again = fakeContext({ cwd: dir });
    expect(await main([...BASE, '--printer', 'emulator', '--reader', 'virtual'], again)).toBe(0);
    expect(again.out()).toMatch(/resuming: 1 of 3 orders already done/);
    const lines = journalLines(join(dir, 'j.jsonl'));
    expect(new Set(lines.filter((e) => e.t === 'done').map((e) => e.uid)).size).toBe(3);
    expect(lines.filter((e) => e.t === 'reject' && e.code === 'CARD_IN_USE')).toEqual([]);
  }, 30_000);

  it.each([
    [['--printer', 'emulator', '--reader', 'pcsc'], /--printer emulator encodes through its own virtual reader/],
    [['--printer', 'evolis:tcp://127.0.0.1:1', '--reader', 'virtual'], /--reader pcsc --reader-name PATTERN/],
    [['--printer', 'emulator', '--reader', 'virtual', '--stripe', '/dev/null'], /--stripe: not for --printer batches/],
    [['--printer', 'emulator', '--reader', 'virtual', '--virtual-delay-ms', '0', '--swipe-timeout', '5'], /--virtual-delay-ms, --swipe-timeout: not for --printer batches/],
    [['--printer', 'emulator', '--reader', 'virtual', '--virtual-dir', 'x'], /--virtual-dir: not for --printer batches/],
    [['--printer', 'evolis:tcp://127.0.0.1:1', '--reader', 'pcsc'], /--reader pcsc needs --reader-name PATTERN/],
    [['--reader', 'virtual', '--emulator-out', 'o'], /--emulator-out goes with --printer emulator/],
    [['--printer', 'emulator', '--reader', 'virtual', '--coercivity', 'medium'], /--coercivity/],
    [['--reader', 'virtual', '--reader-name', 'X'], /--reader-name is for --printer batches/],
    [['--printer', 'evolis:tcp://127.0.0.1:1', '--reader', 'pcsc:X', '--reader-name', 'Y'], /--reader-name goes with --reader pcsc/],
  ])('%j is a usage error (exit 2) before the journal is opened', async (args, message) => {
    const dir = batchDir(1);
    dirs.push(dir);
    const ctx = fakeContext({ cwd: dir });
    expect(await main([...BASE, ...args], ctx)).toBe(2);
    expect(ctx.err()).toMatch(message);
    expect(existsSync(join(dir, 'j.jsonl'))).toBe(false);
  });
});
