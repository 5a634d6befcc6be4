/**
 * The Evolis command stream, cut into frames by a pure step function (STYLE.md: `feed(state,
 * chunk)`, tested by cutting the input at every length). Sources: /work/research/evolis.md §1, §4
 * (S1 = Evolis Card Printers Programming Guide A5013 rev. E; S10 = dpavlin/Printer-EVOLIS).
 *
 * - A frame is ESC, the command, `;`-separated parameters, CR (S1 p.4). "The start character is not
 *   compulsory after the CR character" (S1 p.4): a frame may begin without ESC; `esc` says which.
 * - NUL bytes between frames are padding and skipped (S10 test.windows/* pad with up to 32 NULs
 *   after a Dbc and 32 after the final Se;1; dpavlin's driver appends 64, scripts/evolis-driver.pl
 *   l.51; its simulator skips them, evolis-simulator.pl l.38).
 * - `Db;panel;levels;` and `Dbc;...;` carry binary data that may hold CR and ESC: read by length,
 *   never by scanning for CR (S1 p.5-6, p.14-15; evolis.md §1 "Binary payloads"), then a CR.
 *   Db: 648 x 1016 dots at 1 bit (levels 2: 82 296 bytes = 1016 lines x 81, S1 p.14, the byte
 *   count of p.14 itself is wrong, evolis.md §4) or 5/6/7 bits (levels 32/64/128) concatenated.
 *   Dbc has two documented parameter forms: `Dbc;panel;resol;nb_car;DATA` (S1 p.6; the official
 *   Windows driver's form, S10) and `Dbc;panel;resol;first_line;nb_car;DATA` (S1 p.15, first line
 *   0..1015). They are told apart by the third field: every compressed line is at least one byte
 *   (S1 p.5: a counter byte per line), so a whole panel is at least 1016 bytes, while a first line
 *   is at most 1015.
 * - `Psc` (change the frame characters, S1 p.27) is not supported: the emulator answers it as an
 *   unknown command and keeps the default characters.
 *
 * Bad input never throws: a frame that cannot be read carries `problem` and the parser goes on.
 * The state object is consumed by `feedEvolis` (a payload is filled in place); use the returned one.
 */

export const ESC = 0x1b;
export const CR = 0x0d;
const NUL = 0x00;
/** A header longer than this without CR is not a frame (guards a long-running process's memory). */
export const MAX_HEADER = 4096;
export const PANEL_BYTES = 1016 * 81; // 82 296 (S1 p.14; evolis.md §4)
const PANEL_DOTS = 648 * 1016;

export interface EvolisFrame {
  /** Stream offset of the frame's first byte (its ESC, or its first letter without ESC). */
  offset: number;
  /** Stream offset just after the frame's CR (or where it was cut off). */
  end: number;
  /** The command letters: `Sic`, `Dbc`, `Rlr`. */
  command: string;
  /** The parameters after the command, without the payload. */
  params: string[];
  /** Binary data of Db/Dbc. */
  payload?: Uint8Array;
  /** Stream offset of the payload's first byte. */
  payloadOffset?: number;
  /** False when the frame began without ESC (allowed after a CR, S1 p.4). */
  esc: boolean;
  /** NUL padding bytes skipped just before this frame. */
  nulsBefore: number;
  /** Why the frame is malformed (missing CR, too long, unknown payload length...). */
  problem?: string;
}

type Phase =
  | { kind: 'between' }
  | { kind: 'header'; start: number; esc: boolean; text: string; problem?: string }
  | { kind: 'payload'; start: number; esc: boolean; text: string; data: Uint8Array; filled: number; at: number }
  | { kind: 'trailer'; start: number; esc: boolean; text: string; data: Uint8Array; at: number };

export interface EvolisParserState {
  readonly pos: number;
  readonly nuls: number;
  readonly phase: Phase;
}

export const EMPTY_EVOLIS_STATE: EvolisParserState = { pos: 0, nuls: 0, phase: { kind: 'between' } };

/** Bytes of a `Db` payload for a number of levels (S1 p.14: 2 = 1 bit, 32/64/128 = 5/6/7 bits). */
export function dbPayloadLength(levels: string): number | undefined {
  const bits = { '2': 1, '32': 5, '64': 6, '128': 7 }[levels];
  return bits === undefined ? undefined : Math.ceil((PANEL_DOTS * bits) / 8);
}

/**
 * When the header text read so far opens a binary payload, its length (or a problem); undefined
 * while it does not (yet).
 */
function payloadStart(text: string): { length: number } | { problem: string } | undefined {
  if (!text.endsWith(';')) return undefined;
  const f = text.slice(0, -1).split(';');
  if (f[0] === 'Db' && f.length === 3) {
    const n = dbPayloadLength(f[2]);
    return n === undefined ? { problem: `Db levels ${JSON.stringify(f[2])}: not 2, 32, 64 or 128 (S1 p.14), payload length unknown` } : { length: n };
  }
  if (f[0] !== 'Dbc') return undefined;
  if (f.length === 4) {
    if (!/^\d{1,7}$/.test(f[3])) return { problem: `Dbc byte count ${JSON.stringify(f[3])} is not a number (S1 p.6)` };
    const n = Number(f[3]);
    return n >= 1016 ? { length: n } : undefined; // p.15 form: f[3] is the first line, the count follows
  }
  if (f.length === 5) {
    if (!/^\d{1,7}$/.test(f[4])) return { problem: `Dbc byte count ${JSON.stringify(f[4])} is not a number (S1 p.15)` };
    return { length: Number(f[4]) };
  }
  return undefined;
}

function splitHeader(text: string): { command: string; params: string[] } {
  const f = text.split(';');
  return { command: f[0], params: f.slice(1) };
}

/** Feeds `chunk`; returns the frames it completed and the next state. */
export function feedEvolis(state: EvolisParserState, chunk: Uint8Array): { state: EvolisParserState; frames: EvolisFrame[] } {
  const frames: EvolisFrame[] = [];
  let { pos, nuls, phase } = state;
  const base = pos;
  const emit = (start: number, esc: boolean, text: string, end: number, extra: Partial<EvolisFrame> = {}) => {
    frames.push({ offset: start, end, ...splitHeader(text), esc, nulsBefore: nuls, ...extra });
    nuls = 0;
  };
  let i = 0;
  while (i < chunk.length) {
    const b = chunk[i];
    if (phase.kind === 'between') {
      if (b === NUL) nuls++;
      else if (b === ESC) phase = { kind: 'header', start: base + i, esc: true, text: '' };
      else {
        phase = { kind: 'header', start: base + i, esc: false, text: '' };
        continue; // this byte is the command's first letter
      }
      i++;
    } else if (phase.kind === 'header') {
      if (b === CR) {
        emit(phase.start, phase.esc, phase.text, base + i + 1, phase.problem ? { problem: phase.problem } : {});
        phase = { kind: 'between' };
      } else if (b === ESC) {
        // A new frame begins before this one's CR: this one is cut off.
        emit(phase.start, phase.esc, phase.text, base + i, { problem: phase.problem ?? 'no CR before the next ESC' });
        phase = { kind: 'header', start: base + i, esc: true, text: '' };
      } else if (phase.problem === undefined) {
        if (phase.text.length >= MAX_HEADER) phase = { ...phase, problem: `header longer than ${MAX_HEADER} bytes` };
        else {
          phase = { ...phase, text: phase.text + String.fromCharCode(b) };
          const p = payloadStart(phase.text);
          if (p && 'length' in p) phase = { kind: 'payload', start: phase.start, esc: phase.esc, text: phase.text.slice(0, -1), data: new Uint8Array(p.length), filled: 0, at: base + i + 1 };
          // Length unknown: read on to the CR as text, as a naive reader would, and report it.
          else if (p) phase = { ...phase, text: phase.text.slice(0, -1), problem: p.problem };
        }
      }
      i++;
    } else if (phase.kind === 'payload') {
      const take = Math.min(chunk.length - i, phase.data.length - phase.filled);
      phase.data.set(chunk.subarray(i, i + take), phase.filled);
      const filled = phase.filled + take;
      i += take;
      phase = filled === phase.data.length ? { kind: 'trailer', start: phase.start, esc: phase.esc, text: phase.text, data: phase.data, at: phase.at } : { ...phase, filled };
    } else {
      const extra = { payload: phase.data, payloadOffset: phase.at };
      if (b === CR) {
        emit(phase.start, phase.esc, phase.text, base + i + 1, extra);
        i++;
      } else emit(phase.start, phase.esc, phase.text, base + i, { ...extra, problem: 'no CR after the payload' });
      phase = { kind: 'between' };
    }
  }
  return { state: { pos: base + chunk.length, nuls, phase }, frames };
}

/** At the end of the stream: the frame left unfinished, if any, with its problem. */
export function finishEvolis(state: EvolisParserState): EvolisFrame[] {
  const { phase, pos, nuls } = state;
  if (phase.kind === 'between') return [];
  const head = splitHeader(phase.text);
  const problem = phase.kind === 'payload' ? `the stream ends ${phase.data.length - phase.filled} bytes into a ${phase.data.length}-byte payload` : phase.kind === 'trailer' ? 'the stream ends before the CR after the payload' : 'the stream ends before the CR';
  const payload = phase.kind === 'payload' ? phase.data.subarray(0, phase.filled) : phase.kind === 'trailer' ? phase.data : undefined;
  return [{ offset: phase.start, end: pos, ...head, esc: phase.esc, nulsBefore: nuls, problem, ...(payload ? { payload, payloadOffset: (phase as { at: number }).at } : {}) }];
}
