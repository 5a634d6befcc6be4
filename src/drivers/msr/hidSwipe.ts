/**
 * HID swipe readers that decode the stripe themselves and send one input report per swipe:
 *  - MagTek USB HID Swipe Reader (Technical Reference Manual 99875191, "Card data"): offsets
 *    0-2 track 1-3 decode status (bit 0 = error), 3-5 track 1-3 data length, 6 card encode type,
 *    7-116 / 117-226 / 227-336 track 1 / 2 / 3 data (110 bytes each, ASCII from start to end
 *    sentinel; bytes past the length are undefined and ignored). ID TECH readers in their "HID
 *    other" mode (PID 0x2020) send the same layout.
 *  - ID TECH HID format (MiniMag / SecureHead manuals, "ID TECH Reader Data Structure"): the same
 *    7 header bytes, then the total output length at 7-8 and the output data from 9, the tracks
 *    back to back. The manuals do not state the byte order of the length; USB fields are
 *    little-endian, and a big-endian reading is accepted when only it fits.
 */
import type { HidLink } from '../../transport/hid.js';
import { MsrError } from './errors.js';
import type { Swipe, SwipeTrack } from './swipe.js';
import type { CallOptions } from './msr206.js';
import { needBytes, needLink, needOneOf } from '../../codec/guard.js';
import { waitFor } from '../../transport/wait.js';

export const MAGTEK_VENDOR_ID = 0x0801;
export const IDTECH_VENDOR_ID = 0x0acd;
const MAGTEK_REPORT_LENGTH = 337;
const TRACK_FIELD = 110;

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

function track(status: number, bytes: Uint8Array | undefined): SwipeTrack {
  if (status & 1) return { status: 'failed' };
  if (!bytes || bytes.length === 0) return { status: 'absent' };
  return { status: 'ok', data: ascii(bytes) };
}

/** Parses a MagTek-layout input report (without report ID). */
export function parseMagtekReport(r: Uint8Array): Swipe {
  needBytes('parseMagtekReport', 'report', r);
  if (r.length < MAGTEK_REPORT_LENGTH) throw new MsrError('PROTOCOL', `MagTek report is ${r.length} bytes, needs ${MAGTEK_REPORT_LENGTH}`);
  const tracks = [0, 1, 2].map((i) => {
    const len = Math.min(r[3 + i], TRACK_FIELD);
    const at = 7 + i * TRACK_FIELD;
    return track(r[i], r.subarray(at, at + len));
  }) as Swipe['tracks'];
  return { tracks, encodeType: r[6] };
}

/** Parses an ID TECH-layout input report (without report ID). */
export function parseIdtechReport(r: Uint8Array): Swipe {
  needBytes('parseIdtechReport', 'report', r);
  if (r.length < 9) throw new MsrError('PROTOCOL', `ID TECH report is ${r.length} bytes, needs at least 9`);
  const lens = [r[3], r[4], r[5]];
  const sum = lens[0] + lens[1] + lens[2];
  const avail = r.length - 9;
  const le = r[7] | (r[8] << 8);
  const be = (r[7] << 8) | r[8];
  const total = le >= sum && le <= avail ? le : be >= sum && be <= avail ? be : -1;
  if (total < 0) throw new MsrError('PROTOCOL', `ID TECH total output length ${le} does not hold the tracks (${sum} bytes) within the report`);
  let at = 9;
  const tracks = lens.map((len, i) => {
    const t = track(r[i], r.subarray(at, at + len));
    at += len;
    return t;
  }) as Swipe['tracks'];
  return { tracks, encodeType: r[6] };
}

export type HidSwipeFormat = 'magtek' | 'idtech';

/** Waits for swipes from a HID reader; one input report is one swipe. */
export class HidSwipeReader {
  constructor(
    private readonly link: HidLink,
    private readonly format: HidSwipeFormat = 'magtek',
  ) {
    needLink('HidSwipeReader', link);
    needOneOf('HidSwipeReader', 'format', format, ['magtek', 'idtech']);
  }

  /** The next swipe; TIMEOUT when none comes in time, CANCELLED on abort. */
  nextSwipe(opts: CallOptions = {}): Promise<Swipe> {
    // Checked here, not by waitFor: an abort before the wait keeps its own wording.
    if (opts.signal?.aborted) return Promise.reject(new MsrError('CANCELLED', 'cancelled'));
    return waitFor<Swipe>({
      what: 'a swipe',
      timeoutMs: opts.timeoutMs ?? 30_000,
      signal: opts.signal,
      timeoutError: (ms) => new MsrError('TIMEOUT', `no card swiped within ${ms} ms`),
      abortError: () => new MsrError('CANCELLED', 'cancelled while waiting for a swipe'),
      subscribe: (resolve, reject) =>
        this.link.onReport((r) => {
          try {
            resolve(this.format === 'magtek' ? parseMagtekReport(r) : parseIdtechReport(r));
          } catch (e) {
            reject(e as Error);
          }
        }),
    });
  }
}
