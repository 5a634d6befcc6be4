/**
 * Runs the built `hmskort` (bin/hmskort.js, compiled by `npx tsc -p tsconfig.build.json`) as a real
 * process for the batch integration tests, with orders and the spec examples' keys in a temporary
 * folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JournalError } from '../../src/batch/journalFormat.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/hmskort.js');
export const BUILT = existsSync(join(ROOT, 'dist/src/cli/main.js'));
const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';

/** A folder with orders.csv (`n` valid orders) and keys.json (the spec examples' keys). */
export function batchDir(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-batch-it-'));
  const rows = Array.from({ length: n }, (_, i) => `k${i},construction,${9000 + i},974760673,Bygg AS,Ola ${i},Nordmann,1980-01-01,M,2030-12-31,0`);
  writeFileSync(join(dir, 'orders.csv'), [HEADER, ...rows].join('\n') + '\n');
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' }));
  return dir;
}

export const BATCH_ARGS = ['batch', 'orders.csv', '--keys', 'keys.json', '--reader', 'virtual', '--journal', 'j.jsonl'];

export interface Run {
  child: ChildProcess;
  /** Resolves on exit with the status (null when killed by a signal), output and time taken. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string; ms: number }>;
  /** Resolves once stdout has printed something matching `re` (rejects if the process exits first). */
  printed(re: RegExp): Promise<void>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every batch still running (for afterEach: a test that timed out leaves none spinning). */
export function killRunning(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export function runCli(dir: string, args: string[]): Run {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d) => {
    out += d;
    waiters.forEach((w) => w());
  });
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string; ms: number }>((r) => child.on('exit', (code, signal) => setImmediate(() => r({ code, signal, out, err, ms: performance.now() - t0 }))));
  const printed = (re: RegExp) =>
    new Promise<void>((resolveP, reject) => {
      const check = () => re.test(out) && resolveP();
      waiters.push(check);
      check();
      void exit.then(() => reject(new Error(`exited before printing ${re}: ${out}${err}`)));
    });
  return { child, exit, printed };
}

export function journalEntries(dir: string): Array<{ t: string; order: number; uid: string; cardNumber: string }> {
  return readFileSync(join(dir, 'j.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** The JournalError `f` throws (any other outcome fails the test). */
export function journalErrorOf(f: () => unknown): JournalError {
  try {
    f();
  } catch (e) {
    if (e instanceof JournalError) return e;
    throw e;
  }
  throw new Error('no JournalError was thrown');
}
