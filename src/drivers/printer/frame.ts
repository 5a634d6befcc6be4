/**
 * The Evolis command frame (Evolis Card Printers Programming Guide A5013 rev. E, S1 p.4):
 *
 *   ESC (0x1B)  command  { ';' (0x3B) parameter }  [ ';' binary payload ]  CR (0x0D)
 *
 * "Parameters may be followed by a character string or binary data" (S1 p.4). A binary payload
 * (Db, Dbc: a panel bitmap) may hold 0x0D and 0x1B, so the printer takes its length from the
 * parameters, not from a CR (evolis.md §1); the official Windows driver sends
 * `ESC Dbc;k;2;42832;` + 42 832 bytes + CR (S10 test.windows/card-white, bytes 0-79). Only the
 * default start/separator/stop characters are used (`Psc` can change them, S1 p.27: never sent).
 */
import { needString, needArray, needBytes } from '../../codec/guard.js';
import { PrinterError } from './errors.js';

export const ESC = 0x1b;
export const SEP = 0x3b;
export const CR = 0x0d;

/** A command name: letters, as every command of S1 (Si, Sic, Rlr, Dbc, Pcim, Siscan). */
const COMMAND = /^[A-Z][A-Za-z]{0,15}$/;

/**
 * A parameter: printable ASCII without the separator. A ';' inside would split it into two
 * parameters; ESC and CR would end or restart the frame (S1 p.4).
 */
const PARAMETER = /^[\x20-\x3a\x3c-\x7e]*$/;

/** The frame of one command, with an optional binary payload after the parameters. */
export function encodeCommand(command: string, params: readonly string[] = [], payload?: Uint8Array): Uint8Array {
  needString('encodeCommand', 'command', command);
  needArray('encodeCommand', 'params', params);
  if (payload !== undefined) needBytes('encodeCommand', 'payload', payload);
  if (!COMMAND.test(command)) throw new PrinterError('BAD_DATA', `encodeCommand: "${command}" is not an Evolis command name (letters only)`);
  for (const [i, p] of params.entries()) {
    if (typeof p !== 'string' || !PARAMETER.test(p)) {
      throw new PrinterError('BAD_DATA', `encodeCommand: parameter ${i + 1} of ${command} must be printable ASCII without ';' (got ${JSON.stringify(p)})`, { command });
    }
  }
  const text = [command, ...params].join(';') + (payload ? ';' : '');
  const frame = new Uint8Array(1 + text.length + (payload?.length ?? 0) + 1);
  frame[0] = ESC;
  for (let i = 0; i < text.length; i++) frame[1 + i] = text.charCodeAt(i);
  if (payload) frame.set(payload, 1 + text.length);
  frame[frame.length - 1] = CR;
  return frame;
}

/** The command as people write it in logs and errors: without ESC and CR, a payload as its length. */
export function describeCommand(command: string, params: readonly string[] = [], payload?: Uint8Array): string {
  const text = [command, ...params].join(';');
  return payload ? `${text};<${payload.length} bytes>` : text;
}
