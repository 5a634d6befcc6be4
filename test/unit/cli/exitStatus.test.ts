/**
 * Issue 15 item 2: an exit status is chosen in one place, src/cli/exitStatus.ts, from the error's
 * `kind`; commands throw and do not re-catch to pick a status. The expected statuses are the
 * documented table (README "Exit status", src/cli/command.ts EXIT_TABLE): 1 a check failed or a
 * batch stopped, 2 usage, 3 bad data, 4 device or I/O.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeError } from '../../../src/cli/exitStatus.js';
import { BatchStoppedError } from '../../../src/batch/run.js';
import { BatchRefusedError } from '../../../src/batch/open.js';
import { LabVectorError } from '../../../src/lab/verify.js';
import { CardBackLayoutError } from '../../../src/barcode/cardBack.js';
import { FileReadError } from '../../../src/cli/files.js';
import { Hotlist, HotlistEntryError } from '../../../src/hotlist/table.js';
import { runMain } from '../../helpers/cli.js';
import { thrown } from '../../helpers/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'hmskort-exit-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The typed error Hotlist.add throws (thrown() fails the test on any other). */
const caught = (f: () => unknown): HotlistEntryError => thrown(f, HotlistEntryError);

describe('each error class says what it is; the status follows from its kind alone', () => {
  const cases: [string, unknown, number, RegExp][] = [
    ['a stopped batch', new BatchStoppedError('order o1 (line 2): 5 cards refused in a row'), 1, /^order o1/],
    ['a refused batch (invalid orders)', new BatchRefusedError('INVALID_ORDERS', '1 invalid order', { problems: [] }), 3, /^1 invalid order$/],
    ['an ambiguous vector set', new LabVectorError('AMBIGUOUS_VECTORS', 'two cards for one UID', '04a1b2c3'), 2, /^usage: AMBIGUOUS_VECTORS: two cards for one UID$/],
    ['no room for the barcode', new CardBackLayoutError('no room for the barcode'), 2, /^usage: no room for the barcode$/],
    ['a file that cannot be read', new FileReadError('x.png', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' })), 4, /^cannot read x\.png: ENOENT/],
    ['a hot-list entry out of range', caught(() => new Hotlist().add(0)), 3, /^card number 0 out of range \(it is not 1\.\.999999999999\)$/],
    ['a minIssue out of range', caught(() => new Hotlist().add(5, 257)), 3, /^minIssue 257 out of range \(it is not an integer 0\.\.255/],
  ];
  for (const [what, error, status, line] of cases) {
    it(`${what}: exit ${status}`, () => {
      const d = describeError(error);
      expect(d.status).toBe(status);
      expect(d.line).toMatch(line);
      expect(d.line).not.toMatch(/internal error/);
    });
  }

  it('the typed errors carry a code', () => {
    expect(caught(() => new Hotlist().add(1.5)).code).toBe('INVALID_HOTLIST_ENTRY');
    expect(new CardBackLayoutError('x').code).toBe('NO_ROOM');
    expect(new CardBackLayoutError('x')).toBeInstanceOf(RangeError); // as before: callers catching RangeError still do
    expect(new FileReadError('f', new Error('e')).code).toBe('EREAD');
    expect(new BatchStoppedError('x').code).toBe('BATCH_STOPPED');
  });
});

describe('vectors: a file that cannot be read is an I/O error (exit 4); one that is not JSON is a failed run (exit 1)', () => {
  it('a missing file, and a file that is not JSON', async () => {
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    const notJson = await runMain(dir, ['vectors', 'bad.json']);
    expect(notJson.status).toBe(1);
    expect(notJson.err).toContain('bad.json is not valid JSON');
    const missing = await runMain(dir, ['vectors', 'missing.json']);
    expect(missing.status, missing.err).toBe(4);
    expect(missing.err).toMatch(/^hmskort vectors: cannot read missing\.json: ENOENT/);
  });
});

describe('no command chooses a status by catching an error (src/cli/commands)', () => {
  const commands = new URL('../../../src/cli/commands/', import.meta.url);
  for (const name of readdirSync(commands).filter((f) => f.endsWith('.ts'))) {
    it(name, () => {
      const text = readFileSync(new URL(name, commands), 'utf8');
      // A status after an error is decided by exitStatus.ts: no `return EXIT.DATA/DEVICE/USAGE`, no
      // comparison of an error's code or class name to pick one, no errno error faked for exit 4.
      expect(text).not.toMatch(/return EXIT\.(DATA|DEVICE|USAGE)\b/);
      expect(text).not.toMatch(/code === 'BATCH_STOPPED'|syscall: 'open'/);
      expect(text).not.toMatch(/instanceof (RangeError|LabVectorError)\) throw new UsageError/);
    });
  }
});
