/**
 * COBS, Consistent Overhead Byte Stuffing (S. Cheshire, M. Baker, IEEE/ACM Transactions on
 * Networking 7(2), 1999), and the bridge's frame: COBS(payload || CRC-16/CCITT-FALSE big-endian)
 * followed by one 0x00 (firmware-bridge/PROTOCOL.md). Pure: no IO. Byte-identical to
 * firmware-bridge/src/bridge.c (test/integration/bridge/c-cross.test.ts compares them).
 */
import { crc16CcittFalse } from '../codec/crc.js';
import { needBytes, needObject } from '../codec/guard.js';

/**
 * COBS-encodes `data` (no delimiter). A block of 254 non-zero bytes gets code 0xFF and no implied
 * zero; a full block at the very end is not followed by an empty one (the canonical encoding).
 */
export function cobsEncode(data: Uint8Array): Uint8Array {
  needBytes('cobsEncode', 'data', data);
  const out = new Uint8Array(data.length + Math.floor(data.length / 254) + 1);
  let codeAt = 0;
  let w = 1;
  let code = 1;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0) {
      out[codeAt] = code;
      codeAt = w++;
      code = 1;
    } else {
      out[w++] = data[i];
      if (++code === 0xff && i + 1 < data.length) {
        out[codeAt] = code;
        codeAt = w++;
        code = 1;
      }
    }
  }
  out[codeAt] = code;
  return out.subarray(0, w);
}

/** Decodes COBS bytes (no delimiter); null when a block overruns the input or holds a 0x00. */
export function cobsDecode(enc: Uint8Array): Uint8Array | null {
  needBytes('cobsDecode', 'enc', enc);
  const out = new Uint8Array(enc.length);
  let r = 0;
  let w = 0;
  while (r < enc.length) {
    const code = enc[r];
    if (code === 0 || r + code > enc.length) return null;
    r++;
    for (let k = 1; k < code; k++) {
      if (enc[r] === 0) return null;
      out[w++] = enc[r++];
    }
    if (code !== 0xff && r < enc.length) out[w++] = 0;
  }
  return out.subarray(0, w);
}

/** The bytes on the wire for one payload: COBS(payload || CRC-16 BE) || 0x00. */
export function encodeBridgeFrame(payload: Uint8Array): Uint8Array {
  needBytes('encodeBridgeFrame', 'payload', payload);
  const body = new Uint8Array(payload.length + 2);
  body.set(payload);
  const crc = crc16CcittFalse(payload);
  body[payload.length] = crc >> 8;
  body[payload.length + 1] = crc & 0xff;
  const enc = cobsEncode(body);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}

/** Receiver state: the bytes of the frame in progress. Treat as opaque; start with newBridgeFrameState(). */
export interface BridgeFrameState {
  readonly pending: Uint8Array;
  /** Frames dropped so far (COBS, CRC or oversize). */
  readonly badFrames: number;
}

export interface FeedResult {
  state: BridgeFrameState;
  /** Payloads (CRC stripped) of the frames completed by this chunk, in order. */
  frames: Uint8Array[];
  /** Frames this chunk completed that failed COBS or the CRC (they are dropped). */
  bad: number;
}

/** Longest encoded frame a receiver keeps; longer runs without 0x00 are line noise. */
export const MAX_ENCODED_FRAME = 1024;

export function newBridgeFrameState(): BridgeFrameState {
  return { pending: new Uint8Array(0), badFrames: 0 };
}

/** Decodes one frame's bytes (between delimiters); null when COBS or the CRC fails. */
export function decodeBridgeFrame(encoded: Uint8Array): Uint8Array | null {
  needBytes('decodeBridgeFrame', 'encoded', encoded);
  const body = cobsDecode(encoded);
  if (body === null || body.length < 4) return null; // type + seq + CRC at least
  const n = body.length - 2;
  const crc = (body[n] << 8) | body[n + 1];
  return crc16CcittFalse(body.subarray(0, n)) === crc ? body.slice(0, n) : null;
}

/**
 * The receiver's step function (STYLE.md: stream input is parsed by `feed(state, chunk)`): split at
 * 0x00, decode and CRC-check each frame, resynchronise at the next 0x00 after damage. Empty frames
 * (repeated 0x00, idle fill) are skipped silently. Does not modify `state` or `chunk`.
 */
export function feed(state: BridgeFrameState, chunk: Uint8Array): FeedResult {
  needObject('feed', 'state', state);
  needBytes('feed', 'chunk', chunk);
  const frames: Uint8Array[] = [];
  let bad = 0;
  let pending = state.pending;
  let start = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] !== 0) continue;
    const part = chunk.subarray(start, i);
    start = i + 1;
    const encoded = pending.length ? concat(pending, part) : part;
    pending = new Uint8Array(0);
    if (encoded.length === 0) continue;
    const payload = encoded.length > MAX_ENCODED_FRAME ? null : decodeBridgeFrame(encoded);
    if (payload === null) bad++;
    else frames.push(payload);
  }
  let rest = concat(pending, chunk.subarray(start));
  // Overlong garbage: keep only a tail so memory stays bounded; the frame is already lost and is
  // counted bad when its delimiter arrives (the tail then fails COBS or the CRC).
  if (rest.length > MAX_ENCODED_FRAME) rest = rest.slice(rest.length - MAX_ENCODED_FRAME - 1);
  return { state: { pending: rest, badFrames: state.badFrames + bad }, frames, bad };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
