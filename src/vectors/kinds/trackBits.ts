/**
 * `track-bits` vectors (spec section 8): raw head bits in either swipe direction -> the track
 * string from start to end sentinel (section 4's bit-level decoder).
 */
import type { KindHandler } from '../kind.js';
import { fail } from '../../codec/errors.js';
import { decodeTrackBits } from '../../codec/tracks.js';

export const handler: KindHandler = (input) => {
  const track = input.track;
  if (track !== 1 && track !== 2) fail('BAD_FORMAT', 'track must be 1 or 2', { field: 'track' });
  if (typeof input.bits !== 'string') fail('BAD_FORMAT', 'bits must be a string', { field: 'bits' });
  return { data: decodeTrackBits(track, input.bits) };
};
