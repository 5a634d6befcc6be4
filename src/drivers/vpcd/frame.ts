/**
 * The vpcd wire format (vsmartcard, virtualsmartcard/src/vpcd/vpcd.c): every message in either
 * direction is a 2-byte big-endian length followed by that many payload bytes.
 *
 * TCP delivers a byte stream, not messages, so a message may arrive cut anywhere (even between the
 * two length bytes) or several may arrive in one chunk. `feedVpcdFrames(state, chunk)` is the pure
 * step function (STYLE.md "Stream input"): it returns the complete payloads and the state holding
 * the unfinished remainder. The socket code in client.ts is a thin wrapper around it.
 */
import { needBytes, needObject } from '../../codec/guard.js';

/** Unfinished bytes carried between chunks. */
export interface VpcdFrameState {
  readonly pending: Uint8Array;
}

export const EMPTY_VPCD_FRAME_STATE: VpcdFrameState = { pending: new Uint8Array(0) };

/** One-byte payloads sent by vpcd are control messages (vpcd.h VPCD_CTRL_*). */
export const VPCD_CTRL = {
  OFF: 0x00,
  ON: 0x01,
  RESET: 0x02,
  ATR: 0x04,
} as const;

/** Appends `chunk` and cuts every complete message out of the stream. */
export function feedVpcdFrames(state: VpcdFrameState, chunk: Uint8Array): { state: VpcdFrameState; frames: Uint8Array[] } {
  needObject('feedVpcdFrames', 'state', state);
  needBytes('feedVpcdFrames', 'chunk', chunk);
  let buf: Uint8Array;
  if (state.pending.length === 0) buf = chunk;
  else {
    buf = new Uint8Array(state.pending.length + chunk.length);
    buf.set(state.pending, 0);
    buf.set(chunk, state.pending.length);
  }
  const frames: Uint8Array[] = [];
  let at = 0;
  // Bytes 0-1: payload length, big-endian; bytes 2..: payload.
  while (buf.length - at >= 2) {
    const len = (buf[at] << 8) | buf[at + 1];
    if (buf.length - at - 2 < len) break;
    frames.push(buf.slice(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return { state: { pending: buf.slice(at) }, frames };
}

/** Frames one payload (at most 65 535 bytes) for the wire. */
export function encodeVpcdFrame(payload: Uint8Array): Uint8Array {
  needBytes('encodeVpcdFrame', 'payload', payload);
  if (payload.length > 0xffff) throw new RangeError(`vpcd message of ${payload.length} bytes exceeds 65535`);
  const out = new Uint8Array(payload.length + 2);
  out[0] = payload.length >> 8;
  out[1] = payload.length & 0xff;
  out.set(payload, 2);
  return out;
}
