/** A CliContext that captures output, for running `main` in-process. */
import type { CliContext } from '../../src/cli/command.js';

export interface FakeContext extends CliContext {
  out(): string;
  err(): string;
}

export function fakeContext(overrides: Partial<CliContext> = {}): FakeContext {
  let out = '';
  let err = '';
  return {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    isTTY: false,
    cwd: process.cwd(),
    env: { ...process.env },
    signal: new AbortController().signal,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}

/** Runs `hmskort ARGV` in-process through main() in `cwd`: status, stdout and stderr. */
export async function runMain(cwd: string, argv: string[]): Promise<{ status: number; out: string; err: string }> {
  const { main } = await import('../../src/cli/main.js');
  const ctx = fakeContext({ cwd });
  const status = await main(argv, ctx);
  return { status, out: ctx.out(), err: ctx.err() };
}
