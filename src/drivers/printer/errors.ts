/**
 * Errors of an Evolis card printer, and the classifier of its replies.
 *
 * A reply is ASCII text, one per command (research/evolis.md §1). The Evolis SDK decides with
 * three macros (S3 evolis.h "LIBRARY MACROS"): OK is `strcmp(r, "OK") == 0`, an error starts with
 * "ERR", a refused command starts with "ERROR CDE". The printer's words for each condition come
 * from Evolis's own SDK sample (S9 CPrinter.vb `Sub New` / `analyzeAnswer`), from the guide (S1
 * p.34: `ERR CARD`, `ERR NEED CLEANING`) and from a Zenius kiosk driver (S8 l.913: `ERR RIB
 * DETECTION`). Whether current Primacy/Zenius firmware uses exactly these words is [UNK]
 * (evolis.md §2 caveat), so anything else starting with ERR is still an error (COMMAND_REFUSED)
 * and `reply` always keeps the printer's own text.
 */
import type { ErrorKind } from '../../codec/errors.js';
import { needString } from '../../codec/guard.js';

export type PrinterErrorCode =
  | 'FEEDER_EMPTY' // no blank card to insert
  | 'CARD_JAM' // a card is stuck in the printer
  | 'RIBBON_ERROR' // no ribbon, ribbon ended, ribbon not recognised
  | 'COVER_OPEN'
  | 'NEEDS_CLEANING'
  | 'HOPPER_ERROR' // output hopper full, hopper door open, hopper fault
  | 'HEAD_ERROR' // print head fault
  | 'MAG_ERROR' // the stripe could not be written or read back (the printer checks what it wrote, S11)
  | 'MAG_DATA' // the printer refused the track data as not valid (S3 MAG_EDATA -51)
  | 'OPTION_NOT_AVAILABLE' // the printer lacks the option the command needs (flip-over, encoder)
  | 'CARD_PRESENT' // `ERR CARD`: a card is already inside (S1 p.34)
  | 'PRINTER_TIMEOUT' // the printer's own `ERROR TIME OUT` (a mechanical time-out)
  | 'PRINTER_FAULT' // the printer's own memory or firmware errors (flash, checksum, unknown)
  | 'COMMAND_REFUSED' // `ERROR CDE`, `ERROR PARAMETRES`, or another reply starting with ERR
  | 'UNEXPECTED_REPLY' // a reply that is no error but not what the command returns
  | 'BAD_DATA' // what the caller asked to send cannot be sent (a panel of the wrong size, a track character)
  | 'BAD_URL' // a printer URL that does not parse
  | 'TIMEOUT' // no complete reply within the command's time-out
  | 'IO'; // the device or the connection failed

/** The kind (exit status in the CLI, src/cli/exitStatus.ts) of each code. */
const KIND: Readonly<Record<PrinterErrorCode, ErrorKind>> = {
  FEEDER_EMPTY: 'device',
  CARD_JAM: 'device',
  RIBBON_ERROR: 'device',
  COVER_OPEN: 'device',
  NEEDS_CLEANING: 'device',
  HOPPER_ERROR: 'device',
  HEAD_ERROR: 'device',
  MAG_ERROR: 'device',
  // What we sent was refused as malformed: a fault of the data (or of this driver), not of the machine.
  MAG_DATA: 'data',
  OPTION_NOT_AVAILABLE: 'device',
  CARD_PRESENT: 'device',
  PRINTER_TIMEOUT: 'device',
  PRINTER_FAULT: 'device',
  COMMAND_REFUSED: 'data',
  UNEXPECTED_REPLY: 'device',
  BAD_DATA: 'data',
  BAD_URL: 'usage',
  TIMEOUT: 'device',
  IO: 'device',
};

/** The kind of a code: what an error with it is (device, data or usage). */
export function kindOfCode(code: PrinterErrorCode): ErrorKind {
  return Object.prototype.hasOwnProperty.call(KIND, code) ? KIND[code] : 'device';
}

export class PrinterError extends Error {
  override readonly name = 'PrinterError';
  readonly code: PrinterErrorCode;
  /** The printer's own words, when it answered. */
  readonly reply?: string;
  /** The command that failed, as sent without ESC and CR ("Sic", "Dm;2;...", "Dbc;k;2;41000"). */
  readonly command?: string;

  constructor(code: PrinterErrorCode, message: string, details: { reply?: string; command?: string; cause?: unknown } = {}) {
    super(`${code}: ${message}`, details.cause === undefined ? undefined : { cause: details.cause });
    // Only codes of the table: the CLI must never get an error without a kind.
    this.code = Object.prototype.hasOwnProperty.call(KIND, code) ? code : 'IO';
    this.reply = details.reply;
    this.command = details.command;
  }

  /** device: the printer or its link; data: what was sent was refused; usage: a bad printer URL. */
  get kind(): ErrorKind {
    return KIND[this.code];
  }
}

/**
 * The printer's words -> code, whole replies. S9 CPrinter.vb (Evolis SDK sample, the reply table
 * of `analyzeAnswer`), S1 p.34 (`ERR CARD`, `ERR NEED CLEANING`), S8 l.913 (`ERR RIB DETECTION`).
 */
export const REPLY_CODES: Readonly<Record<string, PrinterErrorCode>> = {
  'FEEDER EMPTY': 'FEEDER_EMPTY', // S9: no card to insert
  'CARD JAM': 'CARD_JAM', // S9
  'ERROR RIBBON': 'RIBBON_ERROR', // S9: no or bad ribbon
  'ERR RIB DETECTION': 'RIBBON_ERROR', // S8 l.913, 1183 (reply to Rrt)
  'COVER OPEN': 'COVER_OPEN', // S9
  'NEED CLEANING': 'NEEDS_CLEANING', // S9
  'ERR NEED CLEANING': 'NEEDS_CLEANING', // S1 p.34 (Rlr;r)
  'ERROR HOPPER': 'HOPPER_ERROR', // S9
  'HOPPER FULL': 'HOPPER_ERROR', // S9
  'HOPPER DOOR': 'HOPPER_ERROR', // S9
  'ERROR HEAD': 'HEAD_ERROR', // S9
  'ERROR MAG': 'MAG_ERROR', // S9; S3 MAG_ERROR -50 "error reading or writing"
  'ERROR MAG CHECKSUM': 'MAG_ERROR', // S9; NACK K "mag checksum" (S1 p.7)
  'ERROR MAG DATA': 'MAG_DATA', // S9; S3 MAG_EDATA -51 "data ... not valid"
  'OPT NOT AVAILABLE': 'OPTION_NOT_AVAILABLE', // S9
  'ERR CARD': 'CARD_PRESENT', // S1 p.34: card present inside the printing module or feeder
  'ERROR TIME OUT': 'PRINTER_TIMEOUT', // S9; NACK T "time-out / mechanical" (S1 p.7)
  'ERROR FLASH UNKNOW': 'PRINTER_FAULT', // S9 (sic)
  'ERROR CHECKSUM': 'PRINTER_FAULT', // S9
  'ERROR UNKNOW': 'PRINTER_FAULT', // S9 (sic)
  'ERROR CDE': 'COMMAND_REFUSED', // S9 bad command; S3 EVOLIS_REPLY_IS_ERROR_CDE
  'ERROR PARAMETRES': 'COMMAND_REFUSED', // S9 bad parameter (sic, French)
  ERROR: 'COMMAND_REFUSED', // S9
};

export type ReplyClass =
  | { readonly type: 'ok' }
  | { readonly type: 'error'; readonly code: PrinterErrorCode; readonly text: string }
  | { readonly type: 'value'; readonly text: string };

/**
 * OK, an error, or a value (what a read such as Rfv answers). The words of the table are errors
 * with or without the ERR prefix (COVER OPEN, FEEDER EMPTY have none in S9); any other reply
 * starting with ERR is an error too (S3 EVOLIS_REPLY_IS_ERR), with its own words kept. The text is
 * compared without surrounding blanks; no terminator is documented (research/evolis.md §1).
 */
export function classifyReply(reply: string): ReplyClass {
  needString('classifyReply', 'reply', reply);
  const text = reply.trim();
  if (text === 'OK') return { type: 'ok' };
  const known = Object.prototype.hasOwnProperty.call(REPLY_CODES, text) ? REPLY_CODES[text] : undefined;
  if (known) return { type: 'error', code: known, text };
  // "ERROR CDE xyz", "ERROR MAG WRITE": the longest table entry the text starts with, then ERR itself.
  if (text.startsWith('ERR')) {
    const prefix = Object.keys(REPLY_CODES)
      .filter((k) => k.startsWith('ERR') && text.startsWith(k + ' '))
      .sort((a, b) => b.length - a.length)[0];
    return { type: 'error', code: prefix ? REPLY_CODES[prefix] : 'COMMAND_REFUSED', text };
  }
  return { type: 'value', text };
}

/** The PrinterError of an error reply to `command`. */
export function replyError(command: string, c: { code: PrinterErrorCode; text: string }): PrinterError {
  return new PrinterError(c.code, `${command}: the printer answered "${c.text}"`, { reply: c.text, command });
}
