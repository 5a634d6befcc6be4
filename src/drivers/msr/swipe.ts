/**
 * A decoded swipe from a reader that decodes tracks itself (HID swipe readers, keyboard wedges),
 * and its pass through the spec's track decoders (section 4).
 */
import type { TrackFields } from '../../codec/tracks.js';
import { decodeTrack } from '../../codec/tracks.js';
import { HmskError } from '../../codec/errors.js';
import { needObject, needArray } from '../../codec/guard.js';

export interface SwipeTrack {
  /** 'absent': blank or not reported; 'failed': the reader could not decode it. */
  status: 'ok' | 'failed' | 'absent';
  /** The track with sentinels (no LRC), when status is 'ok'. */
  data?: string;
}

export interface Swipe {
  tracks: [SwipeTrack, SwipeTrack, SwipeTrack];
  /** Reader's card encode type, when it reports one (MagTek: 0 ISO/ABA, 1 AAMVA, 3 blank, ...). */
  encodeType?: number;
}

export interface SwipeFields {
  track1?: TrackFields;
  track2?: TrackFields;
  /** Tracks 1-2 that were absent, failed, or failed the spec's decoder (with its code). */
  errors: { track: 1 | 2; code: string; message: string }[];
}

/** Runs tracks 1 and 2 of a swipe through the spec's track decoder. */
export function decodeSwipe(swipe: Swipe): SwipeFields {
  needObject('decodeSwipe', 'swipe', swipe);
  needArray('decodeSwipe', 'swipe.tracks', swipe.tracks);
  const out: SwipeFields = { errors: [] };
  for (const n of [1, 2] as const) {
    const t = swipe.tracks[n - 1];
    if (t.status !== 'ok' || t.data === undefined) {
      out.errors.push({ track: n, code: t.status === 'failed' ? 'TRACK_FAILED' : 'TRACK_ABSENT', message: `track ${n} ${t.status}` });
      continue;
    }
    try {
      const f = decodeTrack(n, t.data);
      if (n === 1) out.track1 = f;
      else out.track2 = f;
    } catch (e) {
      if (!(e instanceof HmskError)) throw e;
      out.errors.push({ track: n, code: e.code, message: e.message });
    }
  }
  return out;
}
