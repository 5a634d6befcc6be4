/**
 * Issue 19 items 7 and 22: an output path that cannot be written fails at once, before any work,
 * with the path named (exit 4, I/O). `hmskort demo --out /proc/nope` used to spin at 100 % CPU for
 * ever in Node's recursive mkdir (procfs answers ENOENT for a new child of an existing directory);
 * it is run here as a real process under a time-out. `gate --log` and `lab verify --junit` used to
 * find a bad path only after the first decision or after every card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkOutputFile, makeOutputDir, OutputPathError } from '../../../src/cli/files.js';
import { runMain } from '../../helpers/cli.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { toHex as hex } from '../../helpers/hex.js';

const root = resolve(import.meta.dirname, '../../..');
const signedEx = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
let dir: string;

const run = (...argv: string[]) => runMain(dir, argv);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hmskort-outpaths-'));
  writeFileSync(join(dir, 'signed-keys.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster) }));
  writeFileSync(join(dir, 'signed.json'), JSON.stringify({ blocks: signedEx.blocks }));
  writeFileSync(join(dir, 'a-file'), 'x');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeOutputDir', () => {
  it('creates missing parents one by one', async () => {
    const full = await makeOutputDir('n1/n2/n3', '--out', dir);
    expect(statSync(full).isDirectory()).toBe(true);
    expect(readdirSync(full)).toEqual([]); // the write probe is removed
  });

  it.each([
    ['/proc/nope', 'ENOENT'],
    ['/proc/nope/deeper', 'ENOENT'],
    ['a-file/sub', 'ENOTDIR'],
    ['a-file', 'ENOTDIR'],
  ])('%s fails at once with %s, naming the path', async (path, code) => {
    const e = await makeOutputDir(path, '--out', dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutputPathError);
    expect((e as OutputPathError).code).toBe(code);
    expect((e as Error).message).toContain(`--out ${path}:`);
  });
});

describe('checkOutputFile', () => {
  it('leaves no file behind for a new path, and an existing file untouched', async () => {
    await checkOutputFile('new.xml', '--junit', dir);
    expect(existsSync(join(dir, 'new.xml'))).toBe(false);
    const before = statSync(join(dir, 'a-file'));
    await checkOutputFile('a-file', '--junit', dir);
    const after = statSync(join(dir, 'a-file'));
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });

  it('takes /dev/null and a FIFO without opening them (a FIFO with no reader would wait)', async () => {
    const fifo = join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(checkOutputFile(fifo, '--log', dir)).resolves.toBe(fifo);
    await expect(checkOutputFile('/dev/null', '--log', dir)).resolves.toBe('/dev/null');
  });

  it.each([
    ['/nonexistent/x.xml', 'ENOENT'],
    ['a-file/x.xml', 'ENOTDIR'],
    ['.', 'EISDIR'],
  ])('%s: %s, the path named', async (path, code) => {
    const e = await checkOutputFile(path, '--junit', dir).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutputPathError);
    expect((e as OutputPathError).code).toBe(code);
    expect((e as Error).message).toContain(`--junit ${path}:`);
  });
});

describe('commands check their output paths before any work', () => {
  it('demo --out /proc/nope: a real process ends at once with exit 4, the path named', () => {
    const t0 = performance.now();
    // 20 s: the process loads tsx; the spin it replaces never ended at all.
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/run-cli.ts', 'demo', '--in-memory', '--out', '/proc/nope'], { cwd: root, encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
    expect(r.signal, `killed after ${Math.round(performance.now() - t0)} ms: the process hung`).toBeNull();
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('--out /proc/nope: ENOENT');
    expect(r.stdout).toBe('');
  });

  it('gate --log /nonexistent/x: exit 4 before any decision', async () => {
    const r = await run('gate', '--reader', 'virtual', '--image-in', 'signed.json', '--keys', 'signed-keys.json', '--now', '2027-01-01T12:00:00Z', '--log', '/nonexistent/x');
    expect(r.status).toBe(4);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^hmskort gate: --log \/nonexistent\/x: ENOENT/);
  });

  it('lab verify --junit /nonexistent/x.xml: exit 4 before the first card is read', async () => {
    const examples = resolve(root, 'test-vectors/spec-examples.json');
    writeFileSync(join(dir, 'lab-keys.json'), JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));
    const r = await run('lab', 'verify', '--vectors', examples, '--reader', 'virtual', '--keys', 'lab-keys.json', '--junit', '/nonexistent/x.xml');
    expect(r.status).toBe(4);
    expect(r.out).toBe(''); // no card was read: no PASS/FAIL line
    expect(r.err).toMatch(/--junit \/nonexistent\/x\.xml: ENOENT/);
  });

  it.each([
    ['barcode render --png', ['barcode', 'render', '9747606730000001234566', '--png', '/nonexistent/b.png'], '--png /nonexistent/b.png'],
    ['barcode render --svg', ['barcode', 'render', '9747606730000001234566', '--svg', 'a-file/b.svg'], '--svg a-file/b.svg'],
    ['card-back --png', ['card-back', 'holder.json', '--png', '/nonexistent/c.png'], '--png /nonexistent/c.png'],
    ['card encode --image-out', ['card', 'encode', 'holder.json', '--keys', 'full-keys.json', '--reader', 'virtual', '--image-out', '/nonexistent/i.json'], '--image-out /nonexistent/i.json'],
    ['card void --image-out', ['card', 'void', '--keys', 'full-keys.json', '--reader', 'virtual', '--image-in', 'signed.json', '--image-out', '/nonexistent/i.json'], '--image-out /nonexistent/i.json'],
    ['card dump --out', ['card', 'dump', '--format', 'mct', '--image-in', 'signed.json', '--out', '/nonexistent/d.mct'], '--out /nonexistent/d.mct'],
  ])('%s: exit 4 before any work, the path named', async (_what, argv, named) => {
    writeFileSync(join(dir, 'holder.json'), JSON.stringify(signedEx.holder));
    writeFileSync(join(dir, 'full-keys.json'), JSON.stringify({ readMaster: hex(signedEx.readMaster), writeMaster: hex(signedEx.writeMaster) }));
    const r = await run(...argv);
    expect(r.status).toBe(4);
    expect(r.out).toBe(''); // nothing rendered, encoded or voided
    expect(r.err).toContain(`${named}: EN`);
  });

  it('card dump --out writes the file and prints nothing (issue 19 item 23)', async () => {
    for (const format of ['mct', 'proxmark', 'mfd']) {
      const r = await run('card', 'dump', '--format', format, '--image-in', 'signed.json', '--out', `d.${format}`);
      expect([r.status, r.out, r.err], format).toEqual([0, '', '']);
      expect(statSync(join(dir, `d.${format}`)).size, format).toBeGreaterThan(0);
    }
  });
});
