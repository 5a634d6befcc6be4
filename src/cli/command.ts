/**
 * The shape of a `hmskort` sub-command. Each command lives in src/cli/commands/<name>.ts and is
 * registered in src/cli/main.ts. Commands parse their own arguments (node:util parseArgs), write
 * through `ctx`, and return an exit status (see EXIT below); they throw for errors, which main.ts
 * prints as one line (the stack only with --verbose).
 */

export interface CliContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stdout is a terminal (progress bars only then). */
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly. */
  signal: AbortSignal;
}

export interface CliCommand {
  name: string;
  summary: string;
  /** Full --help text. */
  usage: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Documented exit statuses, the same for every command. */
export const EXIT = {
  OK: 0,
  /** The check ran and found a failure (a vector failed, a card did not verify, a gate denied). */
  FAILED: 1,
  /** Bad command line. */
  USAGE: 2,
  /** Bad input data (a typed HmskError: invalid holder, bad CRC, ...). */
  DATA: 3,
  /** Device or I/O error (CardError, serial, file not readable). */
  DEVICE: 4,
} as const;

/** Thrown by commands for a bad command line; main.ts prints it with the usage hint, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
