/**
 * Errors of the gate's configuration files (hot list, site policy, keys): one class with a stable
 * code, the file and the 1-based line where the problem is, so an operator can fix the file.
 */

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
}

/** 1-based line number of byte `offset` in `bytes`. Only on the error path. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
