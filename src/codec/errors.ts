/**
 * Typed errors of the HMSK card format (spec section 8, "Error codes").
 *
 * One class for every failure the spec names; `code` is the spec's stable string and `where`
 * says where it happened (field, offset, sector, block, track, line) so a production line or a
 * test lab can report it without parsing the message.
 */

/** Decoding and verification codes (spec sections 2-5). */
export const DECODE_CODES = [
  'BAD_LENGTH',
  'BLANK',
  'UNKNOWN_FORMAT',
  'UNSUPPORTED_VERSION',
  'BAD_CRC',
  'BAD_FIELD',
  'INVALID_ACCESS_BITS',
  'BAD_MAD_CRC',
  'BAD_LRC',
  'BAD_PARITY',
  'BAD_FORMAT',
  'BAD_CHECK_DIGIT',
  'SIGNATURE_INVALID',
  'UNKNOWN_KEY',
] as const;

/** Encoding (holder validation) codes (spec section 1). */
export const ENCODE_CODES = [
  'INVALID_CATEGORY',
  'INVALID_CARD_NUMBER',
  'INVALID_ORG_NUMBER',
  'INVALID_DATE',
  'INVALID_GENDER',
  'INVALID_ISSUE',
  'INVALID_TEXT',
  'TOO_LONG',
] as const;

/**
 * Codes of this library, not of the spec: a public function was called with an argument of the
 * wrong type or out of its range (issue 19 item 17). Never produced by a vector, so section 8's
 * list stays exactly the spec's.
 */
export const API_CODES = ['INVALID_ARGUMENT'] as const;

export type DecodeErrorCode = (typeof DECODE_CODES)[number];
export type EncodeErrorCode = (typeof ENCODE_CODES)[number];
export type ApiErrorCode = (typeof API_CODES)[number];
export type HmskErrorCode = DecodeErrorCode | EncodeErrorCode | ApiErrorCode;

/** The spec's codes (section 8). */
export const ERROR_CODES: readonly (DecodeErrorCode | EncodeErrorCode)[] = [...DECODE_CODES, ...ENCODE_CODES];

/**
 * What an error is, so a caller (and the CLI's exit status, src/cli/exitStatus.ts) can act on it
 * without knowing every class: every error class of this library carries one.
 *   usage   the caller asked for something malformed (a command line, a wrong-typed argument)
 *   data    input data that does not parse or validate (a holder, record, dump, orders file)
 *   config  a configuration file that does not parse or validate (keys, hot list, policy)
 *   device  a device, the card in it, or the file system failed
 *   failed  the work ran and a check failed or stopped it (a batch stopped on a card): exit 1
 */
export type ErrorKind = 'usage' | 'data' | 'config' | 'device' | 'failed';

/** Where an error happened. Every member is optional; set what is known. */
export interface ErrorLocation {
  /** Holder field name (`orgNumber`, `givenName`, ...). */
  field?: string;
  /** Byte offset inside the record / gate block / signature block, or character offset in a track. */
  offset?: number;
  /** MIFARE sector number. */
  sector?: number;
  /** MIFARE absolute block number. */
  block?: number;
  /** Magnetic stripe track number (1 or 2). */
  track?: number;
  /** 1-based line of an input file (CSV, hot list). */
  line?: number;
}

export class HmskError extends Error {
  override readonly name = 'HmskError';
  readonly code: HmskErrorCode;
  readonly where: ErrorLocation;
  /** The message without the code in front, for callers that add their own context (a file:line). */
  readonly detail: string;

  constructor(code: HmskErrorCode, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
    this.where = where;
    this.detail = message;
  }

  /**
   * Always data: in the CLI a wrong-typed argument is a value read from a file (a holder JSON that
   * is an array, a dump that is not bytes), so it exits 3 like any other bad input.
   */
  get kind(): ErrorKind {
    return 'data';
  }
}

export function isHmskError(e: unknown): e is HmskError {
  return e instanceof HmskError;
}

/** Shorthand used by the codecs: throw a typed error. */
export function fail(code: HmskErrorCode, message: string, where?: ErrorLocation, cause?: unknown): never {
  throw new HmskError(code, message, where, cause === undefined ? undefined : { cause });
}
