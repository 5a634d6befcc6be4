/**
 * The real PC/SC stack for integration tests: pcscd with vsmartcard's vpcd driver, started by
 * scripts/pcscd-test-env.sh and stopped by scripts/pcscd-test-env-stop.sh (only when this process
 * started it). Outside CI a missing part makes the suite skip, naming what it needs; with CI=true
 * a missing part is a failure (.ci/run installs all of it).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scripts = resolve(import.meta.dirname, '../../scripts');

/** What is missing for the pcscd suite, or undefined when everything is there. */
export async function pcscdMissing(): Promise<string | undefined> {
  const missing: string[] = [];
  if (!['/usr/sbin/pcscd', '/usr/bin/pcscd', '/sbin/pcscd'].some((p) => existsSync(p))) missing.push('pcscd (apt-get install pcscd)');
  if (!existsSync('/etc/reader.conf.d/vpcd')) missing.push('vsmartcard vpcd (apt-get install vsmartcard-vpcd)');
  try {
    await import('nfc-pcsc' as string);
  } catch {
    missing.push('the optional npm dependency nfc-pcsc (needs libpcsclite-dev to build)');
  }
  if (process.getuid && process.getuid() !== 0 && !existsSync('/run/pcscd/pcscd.comm')) missing.push('root, or a running pcscd');
  if (!missing.length) return undefined;
  const why = `needs ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`CI=true but the PC/SC integration environment is incomplete: ${why}`);
  return why;
}

export interface PcscdHandle {
  /** True when this process started pcscd (and so stops it at the end). */
  started: boolean;
  stop(): Promise<void>;
  restartable: boolean;
}

/**
 * Starts pcscd for one test file and holds the vpcd suite lock until `stop()`: vpcd has one card
 * slot, and vitest runs files in parallel, so the files that present cards to vpcd
 * (pcsc-integration, reader-probe-pcscd) take turns. The lock is flock(1) on its own file (not
 * /tmp/hmskort-pcscd.lock, which a person may already hold around the whole run), held by a child
 * process until its stdin closes; waiting for it is bounded.
 */
export async function startPcscd(): Promise<PcscdHandle> {
  const release = await holdSuiteLock();
  let stdout: string;
  try {
    ({ stdout } = await run('bash', [resolve(scripts, 'pcscd-test-env.sh')]));
  } catch (e) {
    release();
    throw e;
  }
  const started = !stdout.includes('already listening');
  return {
    started,
    restartable: started || existsSync(pidFile()),
    stop: async () => {
      try {
        if (started) await run('bash', [resolve(scripts, 'pcscd-test-env-stop.sh')]);
      } finally {
        release();
      }
    },
  };
}

const SUITE_LOCK = `${process.env.TMPDIR ?? '/tmp'}/hmskort-vpcd-suite.lock`;
const SUITE_LOCK_WAIT_S = 300;

/** Takes the vpcd suite lock; resolves with the function that lets it go. */
function holdSuiteLock(): Promise<() => void> {
  return new Promise((resolveLock, reject) => {
    const child = spawn('flock', ['-w', String(SUITE_LOCK_WAIT_S), SUITE_LOCK, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const release = () => child.stdin?.end();
    child.stdout?.once('data', () => resolveLock(release));
    child.once('error', (e) => reject(new Error(`flock for ${SUITE_LOCK}: ${e.message}`)));
    child.once('exit', (code) => reject(new Error(`waited ${SUITE_LOCK_WAIT_S} s for the vpcd suite lock ${SUITE_LOCK} (flock exit ${code})`)));
    child.unref();
  });
}

/**
 * Where the tests reach vpcd: 127.0.0.2 on Linux (still loopback), for which pcscd-test-env.sh
 * sets a quickack route (vpcd's Nagle + delayed ACK otherwise cost ~40 ms per APDU).
 */
export const VPCD_TEST_HOST = process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1';

export function pidFile(): string {
  return process.env.HMSKORT_PCSCD_PIDFILE ?? `${process.env.TMPDIR ?? '/tmp'}/hmskort-pcscd.pid`;
}

export async function stopPcscdNow(): Promise<void> {
  await run('bash', [resolve(scripts, 'pcscd-test-env-stop.sh')]);
}

export async function startPcscdNow(): Promise<void> {
  await run('bash', [resolve(scripts, 'pcscd-test-env.sh')]);
}

/** A reader's state as pcscd publishes it (SCardGetStatusChange): the SCARD_STATE_* bits and the ATR. */
export interface ReaderState {
  state: number;
  atr: Buffer;
}
/** SCARD_STATE_EMPTY and SCARD_STATE_PRESENT (pcsclite.h). */
export const SCARD_STATE = { EMPTY: 0x10, PRESENT: 0x20 } as const;

/**
 * Waits, at most `ms`, until pcscd publishes a state of `reader` that `want` accepts, and says
 * `what` it waited for (with the last state seen) when it does not come. pcscd notices a vpcd card
 * that left only at its next presence poll (every 400 ms, PCSCLITE_STATUS_POLL_RATE) and may still
 * show it, or a half-inserted one with no ATR, right after the card's connection closed: a client
 * that starts then finds a card that is not there ("ISO 14443-4 card" with an empty ATR).
 */
export async function waitReaderState(want: (s: ReaderState) => boolean, what: string, ms = 10_000, reader = 'Virtual PCD 00 00'): Promise<ReaderState> {
  const { default: pcsclite } = (await import('@pokusew/pcsclite' as string)) as { default: () => any };
  const pcsc = pcsclite();
  const readers: any[] = [];
  let last: ReaderState | undefined;
  try {
    return await new Promise<ReaderState>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = last ? `state 0x${last.state.toString(16)}, ATR '${last.atr.toString('hex')}'` : 'no state';
        reject(new Error(`waited ${ms} ms for pcscd to show ${what} in '${reader}'; last seen: ${seen}`));
      }, ms);
      pcsc.on('error', (e: Error) => (clearTimeout(timer), reject(e)));
      pcsc.on('reader', (r: any) => {
        readers.push(r);
        if (r.name !== reader) return;
        r.on('status', (s: { state: number; atr?: Buffer }) => {
          last = { state: s.state, atr: s.atr ?? Buffer.alloc(0) };
          if (want(last)) (clearTimeout(timer), resolve(last));
        });
      });
    });
  } finally {
    // Out of the status callback first: the binding holds the reader's lock while it runs the
    // callback (and the promise reactions after it), and close() takes that lock.
    await new Promise((r) => setImmediate(r));
    for (const r of readers) r.close();
    pcsc.close();
  }
}
