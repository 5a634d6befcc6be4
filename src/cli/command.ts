import type { ErrorKind } from '../codec/errors.js';

/**
 * The shape of a `hmskort` sub-command. Each command lives in src/cli/commands/<name>.ts and is
 * registered in src/cli/main.ts. Commands are declared with src/cli/declare.ts (options from the
 * table of src/cli/definitions.ts, usage text generated), write through `ctx`, and return an exit
 * status (see EXIT below); they throw for errors, which main.ts prints as one line (the stack only
 * with --verbose).
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
  /** The options it takes, by name in src/cli/definitions.ts (declared commands). */
  readonly options?: readonly string[];
  /** Its sub-commands and their options (declared commands with sub-commands). */
  readonly subcommands?: Readonly<Record<string, { readonly options: readonly string[] }>>;
}

/**
 * Documented exit statuses, the same for every command. Which error gives which status is decided
 * in one place, src/cli/exitStatus.ts, from the error's `kind`; EXIT_TABLE is the text printed by
 * `hmskort --help` and copied in the README (test/unit/cli/cli-exit-codes.test.ts keeps the three equal).
 */
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

/** The exit-status table, as `hmskort --help` prints it and the README shows it. */
export const EXIT_TABLE: readonly (readonly [number, string])[] = [
  [EXIT.OK, 'ok'],
  [EXIT.FAILED, 'a check failed: a vector, a card that does not verify or was refused, a gate that denied, a stopped batch'],
  [EXIT.USAGE, 'bad command line: an unknown option, a missing or malformed value'],
  [EXIT.DATA, 'bad input data or configuration: a file or value that does not parse or validate (holder, record, dump, card image, orders, keys, hot list, policy)'],
  [EXIT.DEVICE, 'device or I/O error: a reader, a card, a serial port, a file that cannot be read or written'],
];

/** Thrown by commands for a bad command line; main.ts prints it with the usage hint, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
  get kind(): ErrorKind {
    return 'usage';
  }
}

/**
 * Input the CLI itself found malformed: a file that is not JSON, a card image that is not 64
 * blocks of hex. Exit 3, like the library's data errors.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly code = 'BAD_INPUT';
  get kind(): ErrorKind {
    return 'data';
  }
}
