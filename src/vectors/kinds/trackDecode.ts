/**
 * `track-decode` vectors (spec section 8): a track string (with sentinels, LRC optional) -> the
 * fields of section 4. A track number other than 1 or 2 fails with BAD_FORMAT.
 */
import type { KindHandler } from '../kind.js';
import { fail } from '../../codec/errors.js';
import { decodeTrack } from '../../codec/tracks.js';

export const handler: KindHandler = (input) => {
  const track = input.track;
  if (track !== 1 && track !== 2) fail('BAD_FORMAT', 'track must be 1 or 2', { field: 'track' });
  if (typeof input.data !== 'string') fail('BAD_FORMAT', 'data must be a string', { field: 'data' });
  return { fields: { ...decodeTrack(track, input.data) } };
};
