/**
 * BridgeError: the error family of the serial bridge (firmware-bridge/PROTOCOL.md). `code` is
 * stable: BAD_FRAME (COBS or CRC-16 failed), UNKNOWN_TYPE, BAD_MESSAGE (body length or a value),
 * PORT (the serial port failed; `cause` holds the driver's error).
 */
import type { ErrorKind } from '../codec/errors.js';

export type BridgeErrorCode = 'BAD_FRAME' | 'UNKNOWN_TYPE' | 'BAD_MESSAGE' | 'PORT';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  /** Byte offset inside the payload where the problem was found, when known. */
  readonly offset?: number;
  constructor(code: BridgeErrorCode, message: string, options: { offset?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    if (options.offset !== undefined) this.offset = options.offset;
  }

  /** PORT is the serial port (device); the others are bytes that do not parse (data). */
  get kind(): ErrorKind {
    return this.code === 'PORT' ? 'device' : 'data';
  }
}
