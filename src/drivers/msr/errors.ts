/**
 * Errors of magnetic-stripe devices (MSR206/MSR605 family, MSR605X, HID swipe readers). The
 * device's [Status Byte] (MSR605 Programmer's Manual, section 7) is kept in `status`.
 */
import type { ErrorKind } from '../../codec/errors.js';
import { needString, needInteger } from '../../codec/guard.js';

export type MsrErrorCode =
  | 'READ_WRITE_ERROR' // status 0x31: the device could not read or write the stripe
  | 'COMMAND_FORMAT' // status 0x32: command format error
  | 'INVALID_COMMAND' // status 0x34
  | 'BAD_SWIPE' // status 0x39: invalid card swipe in write mode (card moved badly): swipe again
  | 'FAILED' // <ESC> A: the command was refused (set leading zero, select BPI, erase, RAM test)
  | 'UNKNOWN_STATUS' // any other status byte 0x31-0x3F
  | 'TIMEOUT' // no (complete) reply in time; a swipe that never came
  | 'CANCELLED' // the caller aborted
  | 'VERIFY_FAILED' // tracks read back differ from what was written
  | 'PROTOCOL' // bytes that fit no reply of the manual
  | 'TRACK_FAILED' // the device marked a track as failed (ESC * variant, HID decode status)
  | 'IO'; // the link failed

export const STATUS_CODES: Readonly<Record<number, MsrErrorCode>> = {
  0x31: 'READ_WRITE_ERROR',
  0x32: 'COMMAND_FORMAT',
  0x34: 'INVALID_COMMAND',
  0x39: 'BAD_SWIPE',
};

export class MsrError extends Error {
  override readonly name = 'MsrError';
  readonly code: MsrErrorCode;
  /** The device's status byte, when it sent one. */
  readonly status?: number;
  /** The track concerned, when one is. */
  readonly track?: number;

  constructor(code: MsrErrorCode, message: string, details: { status?: number; track?: number; cause?: unknown } = {}) {
    super(`${code}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.track = details.track;
  }

  /** A device error (CLI exit 4). */
  get kind(): ErrorKind {
    return 'device';
  }

  /** The swipe went wrong, not the device: present the card again. */
  get retrySwipe(): boolean {
    return this.code === 'BAD_SWIPE' || this.code === 'READ_WRITE_ERROR' || this.code === 'TRACK_FAILED';
  }
}

/** The error for a status byte other than 0x30. */
export function statusError(status: number, what: string): MsrError {
  needInteger('statusError', 'status', status, 0, 255);
  needString('statusError', 'what', what);
  const code = STATUS_CODES[status] ?? (status === 0x41 ? 'FAILED' : 'UNKNOWN_STATUS');
  return new MsrError(code, `${what}: device status 0x${status.toString(16).padStart(2, '0')}`, { status });
}
