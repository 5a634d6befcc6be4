/**
 * The one place where an error becomes an exit status (issue 19 items 15 and 16). Every error
 * class of the library says what it is (`kind`: usage, data, config, device, failed; src/codec/errors.ts)
 * and this table maps the kind to the status documented in EXIT_TABLE (command.ts), `hmskort
 * --help` and the README. Commands throw; they do not catch errors to choose a status.
 */
import type { ErrorKind } from '../codec/errors.js';
import { EXIT, UsageError } from './command.js';

const KIND_STATUS: Record<ErrorKind, number> = {
  usage: EXIT.USAGE,
  data: EXIT.DATA,
  config: EXIT.DATA,
  device: EXIT.DEVICE,
  failed: EXIT.FAILED,
};

const KIND_PREFIX: Record<ErrorKind, string> = { usage: 'usage: ', data: '', config: '', device: '', failed: '' };

/** The error's kind, when it is one of the table's. */
export function kindOf(e: unknown): ErrorKind | undefined {
  const k = (e as { kind?: unknown } | null)?.kind;
  return typeof k === 'string' && Object.prototype.hasOwnProperty.call(KIND_STATUS, k) ? (k as ErrorKind) : undefined;
}

/**
 * Node's parseArgs errors (node:util, codes ERR_PARSE_ARGS_*) as a UsageError naming the option
 * and what it expects, instead of Node's text. Node's messages (lib/internal/util/parse_args):
 *   ERR_PARSE_ARGS_UNKNOWN_OPTION        "Unknown option '--x'. ..."
 *   ERR_PARSE_ARGS_INVALID_OPTION_VALUE  "Option '--dpi <value>' argument missing" or
 *                                        "... argument is ambiguous" (a value starting with '-')
 *                                        or "Option '--json' does not take an argument"
 *   ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL "Unexpected argument 'x'. ..."
 */
export function parseArgsUsage(e: unknown): UsageError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return undefined;
  const msg = e instanceof Error ? e.message : '';
  const option = /'(-[^' ]+)/.exec(msg)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${option ?? msg}`, { cause: e });
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new UsageError(`unexpected argument ${/'([^']*)'/.exec(msg)?.[1] ?? ''}`.trimEnd(), { cause: e });
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(msg)) return new UsageError(`${option} takes no value`, { cause: e });
    if (/ambiguous/.test(msg)) return new UsageError(`${option} needs a value; a value starting with '-' is written ${option}=VALUE (negative numbers are refused where a count or size is expected)`, { cause: e });
    return new UsageError(`${option} needs a value`, { cause: e });
  }
  return new UsageError(msg, { cause: e });
}

/** Maps an error to its exit status and the one line printed for it. */
export function describeError(e: unknown): { status: number; line: string } {
  const usage = parseArgsUsage(e);
  if (usage) return describeError(usage);
  const kind = kindOf(e);
  const message = e instanceof Error ? e.message : String(e);
  if (kind) return { status: KIND_STATUS[kind], line: `${KIND_PREFIX[kind]}${message}` };
  // Node's file-system and socket errors (errno codes with a syscall): device or I/O.
  const err = e as NodeJS.ErrnoException | null;
  if (err && typeof err.code === 'string' && err.syscall) return { status: EXIT.DEVICE, line: message };
  // A TypeError or RangeError that reaches here is a bug of this program, not the user's input.
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) return { status: EXIT.DEVICE, line: `internal error (please report it, with --verbose): ${e.name}: ${message}` };
  // Other untyped errors come from devices and libraries below the drivers: I/O.
  return { status: EXIT.DEVICE, line: message };
}
