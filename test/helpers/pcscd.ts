/**
 * The real PC/SC stack for integration tests: pcscd with vsmartcard's vpcd driver, started by
 * scripts/pcscd-test-env.sh and stopped by scripts/pcscd-test-env-stop.sh (only when this process
 * started it). Outside CI a missing part makes the suite skip, naming what it needs; with CI=true
 * a missing part is a failure (.ci/run installs all of it).
 */
import { execFile } from 'node:child_process';
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

export async function startPcscd(): Promise<PcscdHandle> {
  const { stdout } = await run('bash', [resolve(scripts, 'pcscd-test-env.sh')]);
  const started = !stdout.includes('already listening');
  return {
    started,
    restartable: started || existsSync(pidFile()),
    stop: async () => {
      if (started) await run('bash', [resolve(scripts, 'pcscd-test-env-stop.sh')]);
    },
  };
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
