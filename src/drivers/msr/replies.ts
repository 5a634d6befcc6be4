/**
 * Replies of the MSR206 / MSR605 family (MSR605 Programmer's Manual rev. B, sections 6-7), parsed
 * by a pure step function: `feed(state, bytes)` takes whatever bytes arrived and returns the next
 * state, and the reply once it is complete (with the bytes after it). The serial and HID wrappers
 * only move bytes; tests cut every reply at every byte.
 *
 * The parser is told which reply the pending command expects, since the manual's replies are not
 * self-describing (ESC l answers two raw bytes). Any reply may instead be a bare `ESC [status]`
 * (0x31 read/write error, 0x32 command format, 0x34 invalid command, 0x39 bad swipe).
 * Known device variants accepted: lower-case `h`/`l` for the coercivity reply; `ESC +` (empty
 * track) and `ESC *` (failed track) after a track header in an ISO read.
 */
import { ESC, FS } from './protocol.js';
import { MsrError } from './errors.js';

export type ReplyKind = 'status' | 'commTest' | 'iso' | 'raw' | 'model' | 'firmware' | 'coercivity' | 'bpc' | 'leadingZeros';

export interface IsoTrack {
  /** The device sent this track's header (ESC n). */
  present: boolean;
  /** The track as read, with sentinels, no LRC ("" when empty). */
  data: string;
  /** The device marked the track failed (ESC *). */
  failed: boolean;
}

export type Reply =
  | { kind: 'status'; status: number }
  | { kind: 'commTest' }
  | { kind: 'iso'; status: number; tracks: [IsoTrack, IsoTrack, IsoTrack] }
  | { kind: 'raw'; status: number; tracks: [Uint8Array | undefined, Uint8Array | undefined, Uint8Array | undefined] }
  | { kind: 'model'; model: string }
  | { kind: 'firmware'; version: string }
  | { kind: 'coercivity'; hiCo: boolean }
  | { kind: 'bpc'; bpc: [number, number, number] }
  | { kind: 'leadingZeros'; track13: number; track2: number };

export interface ReplyState {
  readonly kind: ReplyKind;
  /** Bytes of the reply so far, from its ESC on. */
  readonly buf: Uint8Array;
  /** Bytes of noise dropped before the reply's ESC. */
  readonly skipped: number;
}

export interface FeedResult {
  state: ReplyState;
  /** Set when the reply is complete. */
  reply?: Reply;
  /** Set when the bytes fit no reply of the manual; the state is then spent. */
  error?: MsrError;
  /** Bytes after the end of the reply (or after the error). */
  rest: Uint8Array;
}

/** Length of the firmware version after ESC: "REV?X.XX" (MSR206 manual, command 19). */
export const FIRMWARE_LENGTH = 8;

export function initialReplyState(kind: ReplyKind): ReplyState {
  return { kind, buf: new Uint8Array(0), skipped: 0 };
}

const ERROR_STATUS = (b: number) => b >= 0x31 && b <= 0x3f;

type Parsed = { more: true } | { reply: Reply; used: number } | { bad: string };
const MORE: Parsed = { more: true };

function text(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

function parseIso(b: Uint8Array): Parsed {
  const tracks: [IsoTrack, IsoTrack, IsoTrack] = [0, 1, 2].map(() => ({ present: false, data: '', failed: false })) as [IsoTrack, IsoTrack, IsoTrack];
  let cur = -1;
  let stray = '';
  for (let i = 2; ; ) {
    if (i >= b.length) return MORE;
    const c = b[i];
    if (c === ESC) {
      if (i + 1 >= b.length) return MORE;
      const d = b[i + 1];
      if (d >= 1 && d <= 3) {
        cur = d - 1;
        tracks[cur].present = true;
      } else if ((d === 0x2b || d === 0x2a) && cur >= 0) {
        tracks[cur].failed = d === 0x2a;
      } else return { bad: `unexpected ESC 0x${d.toString(16)} inside an ISO data block` };
      i += 2;
    } else if (c === FS) {
      // Ending field "? FS": the '?' before FS is the block's, not the track's.
      if (cur >= 0 && tracks[cur].data.endsWith('?')) tracks[cur].data = tracks[cur].data.slice(0, -1);
      else if (stray.endsWith('?')) stray = stray.slice(0, -1);
      else return { bad: 'ISO data block does not end with ? FS' };
      if (stray !== '') return { bad: 'data before the first track header' };
      if (i + 2 >= b.length) return MORE;
      if (b[i + 1] !== ESC) return { bad: 'no ESC [status] after the ISO data block' };
      return { reply: { kind: 'iso', status: b[i + 2], tracks }, used: i + 3 };
    } else {
      if (cur >= 0) tracks[cur].data += String.fromCharCode(c);
      else stray += String.fromCharCode(c);
      i++;
    }
  }
}

function parseRaw(b: Uint8Array): Parsed {
  const tracks: [Uint8Array | undefined, Uint8Array | undefined, Uint8Array | undefined] = [undefined, undefined, undefined];
  for (let i = 2; ; ) {
    if (i >= b.length) return MORE;
    if (b[i] === ESC) {
      if (i + 2 >= b.length) return MORE;
      const n = b[i + 1];
      if (n < 1 || n > 3) return { bad: `raw track header ESC 0x${n.toString(16)} is not 1-3` };
      const len = b[i + 2];
      if (i + 3 + len > b.length) return MORE;
      tracks[n - 1] = b.slice(i + 3, i + 3 + len);
      i += 3 + len;
    } else if (b[i] === 0x3f) {
      if (i + 3 >= b.length) return MORE;
      if (b[i + 1] !== FS || b[i + 2] !== ESC) return { bad: 'raw data block does not end with ? FS ESC [status]' };
      return { reply: { kind: 'raw', status: b[i + 3], tracks }, used: i + 4 };
    } else return { bad: `byte 0x${b[i].toString(16)} where a raw track header or the ending field belongs` };
  }
}

function parse(kind: ReplyKind, b: Uint8Array): Parsed {
  if (b.length < 2) return MORE;
  const s = b[1];
  const bare: Parsed = { reply: { kind: 'status', status: s }, used: 2 };
  switch (kind) {
    case 'status':
      return bare;
    case 'commTest':
      return s === 0x79 ? { reply: { kind: 'commTest' }, used: 2 } : ERROR_STATUS(s) ? bare : { bad: `communication test answered 0x${s.toString(16)}, not ESC y` };
    case 'coercivity': {
      const c = String.fromCharCode(s).toUpperCase();
      if (c === 'H' || c === 'L') return { reply: { kind: 'coercivity', hiCo: c === 'H' }, used: 2 };
      return ERROR_STATUS(s) ? bare : { bad: `coercivity reply 0x${s.toString(16)} is not H or L` };
    }
    case 'bpc':
      if (s !== 0x30) return ERROR_STATUS(s) || s === 0x41 ? bare : { bad: 'set-BPC reply is not ESC 0' };
      return b.length < 5 ? MORE : { reply: { kind: 'bpc', bpc: [b[2], b[3], b[4]] }, used: 5 };
    case 'leadingZeros':
      return b.length < 3 ? MORE : { reply: { kind: 'leadingZeros', track13: b[1], track2: b[2] }, used: 3 };
    case 'firmware':
      if (ERROR_STATUS(s)) return bare;
      return b.length < 1 + FIRMWARE_LENGTH ? MORE : { reply: { kind: 'firmware', version: text(b.subarray(1, 1 + FIRMWARE_LENGTH)) }, used: 1 + FIRMWARE_LENGTH };
    case 'model':
      // ESC [model] S. A model byte can equal a status byte ('1' = MSR206-1), so the third byte decides.
      if (b.length < 3) return MORE;
      if (b[2] === 0x53) return { reply: { kind: 'model', model: String.fromCharCode(s) }, used: 3 };
      return ERROR_STATUS(s) ? bare : { bad: 'model reply does not end with S' };
    case 'iso':
      return s === 0x73 ? parseIso(b) : bare;
    case 'raw':
      return s === 0x73 ? parseRaw(b) : bare;
  }
}

/** One step: append `bytes` and try to complete the expected reply. Pure; `state` is not modified. */
export function feed(state: ReplyState, bytes: Uint8Array): FeedResult {
  let buf: Uint8Array;
  let skipped = state.skipped;
  if (state.buf.length === 0) {
    // Noise before the reply's ESC (line glitches, a late byte of an aborted command) is dropped.
    let i = 0;
    while (i < bytes.length && bytes[i] !== ESC) i++;
    skipped += i;
    buf = bytes.slice(i);
  } else {
    buf = new Uint8Array(state.buf.length + bytes.length);
    buf.set(state.buf);
    buf.set(bytes, state.buf.length);
  }
  if (buf.length === 0) return { state: { kind: state.kind, buf, skipped }, rest: new Uint8Array(0) };
  const p = parse(state.kind, buf);
  if ('more' in p) return { state: { kind: state.kind, buf, skipped }, rest: new Uint8Array(0) };
  const spent: ReplyState = { kind: state.kind, buf: new Uint8Array(0), skipped };
  if ('bad' in p) return { state: spent, error: new MsrError('PROTOCOL', p.bad), rest: new Uint8Array(0) };
  return { state: spent, reply: p.reply, rest: buf.slice(p.used) };
}
