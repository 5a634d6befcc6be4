/**
 * Errors of the gate's configuration files (hot list, site policy, keys): one class with a stable
 * code, the file and the 1-based line where the problem is, so an operator can fix the file.
 */
import type { ErrorKind } from '../codec/errors.js';
import { needBytes, needInteger } from '../codec/guard.js';

export type GateConfigErrorCode =
  | 'HOTLIST_FORMAT' // a hot-list line or entry is malformed
  | 'POLICY_FORMAT' // the policy file is not valid JSON or not a valid policy
  | 'FILE_UNREADABLE'; // the file cannot be read

export interface GateConfigErrorDetails {
  file?: string;
  line?: number;
  cause?: unknown;
}

export class GateConfigError extends Error {
  override readonly name = 'GateConfigError';
  readonly code: GateConfigErrorCode;
  readonly file?: string;
  readonly line?: number;

  constructor(code: GateConfigErrorCode, message: string, details: GateConfigErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.file = details.file;
    this.line = details.line;
  }

  /** A file that cannot be read is I/O; one that does not parse is configuration (CLI exit 4 / 3). */
  get kind(): ErrorKind {
    return this.code === 'FILE_UNREADABLE' ? 'device' : 'config';
  }
}

/** 1-based line number of byte `offset` in `bytes`. Only on the error path. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  needBytes('lineAt', 'bytes', bytes);
  needInteger('lineAt', 'offset', offset, 0, Number.MAX_SAFE_INTEGER);
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
