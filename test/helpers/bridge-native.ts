/**
 * Builds the native programs of firmware-bridge/ for the cross and pty tests (make targets
 * build/hmsk_cli and build/bridge_mcu) and says why a test must skip: without a C compiler, make
 * or socat the tests skip with that reason, except under CI (CI=true), where they fail instead.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const FIRMWARE = resolve(import.meta.dirname, '../../firmware-bridge');

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** null when the tools are there, else the reason to skip (throws under CI). */
export function missingTools(needs: string[]): string | null {
  const missing = needs.filter((c) => !has(c));
  if (missing.length === 0) return null;
  const reason = `needs ${missing.join(', ')} (not installed)`;
  if (process.env.CI) throw new Error(`CI: ${reason}`);
  return reason;
}

/** Runs make for the given targets; returns their absolute paths. */
export function buildNative(...targets: string[]): string[] {
  execFileSync('make', ['-s', '-C', FIRMWARE, ...targets], { stdio: ['ignore', 'ignore', 'pipe'] });
  return targets.map((t) => resolve(FIRMWARE, t));
}

/** Runs hmsk_cli on many command lines at once; returns one parsed JSON object a line. */
export function runCli(cli: string, lines: string[]): any[] {
  const out = execFileSync(cli, { input: lines.join('\n') + '\n', maxBuffer: 64 << 20 }).toString('utf8');
  return out.trimEnd().split('\n').map((l) => JSON.parse(l));
}
