/**
 * Magnetic stripe (spec section 4, issue 5): composing both tracks, the track decoder, the
 * bit-level decoder forward and backwards (a backwards swipe first fails the forward reading),
 * MSR raw packing, and parsing an MSR605 ISO read reply with the pure feed. Inputs: 64 holders,
 * cycled; every check compares with values derived from the holder or the spec example.
 */
import type { BenchCase } from '../harness.js';
import type { ValidHolder } from '../../src/codec/holder.js';
import { decodeTrack, decodeTrackBits, lrcChar, track1String, track2String, trackToBits } from '../../src/codec/tracks.js';
import { benchHolders } from '../holders.js';
import { packRawWrite } from '../../src/codec/msrRaw.js';
import { feed, initialReplyState } from '../../src/drivers/msr/replies.js';

const N = 64;


interface S {
  hs: ValidHolder[];
  t1: string[];
  t2: string[];
  bits2: string[];
  rev2: string[];
  i: number;
}

function setup(): S {
  const hs = benchHolders(N, 4711);
  const t1 = hs.map((h) => track1String(h));
  const t2 = hs.map((h) => track2String(h));
  return { hs, t1, t2, bits2: t2.map((s) => trackToBits(2, s)), rev2: t2.map((s) => trackToBits(2, s, { reverse: true })), i: 0 };
}
const next = (s: S) => (s.i = (s.i + 1) % N);

// MSR605 manual section 8 read example reply.
const isoReply = Uint8Array.from([0x1b, 0x73, 0x1b, 1, 0x25, 0x30, 0x31, 0x3f, 0x1b, 2, 0x3b, 0x32, 0x33, 0x3f, 0x1b, 3, 0x3b, 0x34, 0x35, 0x3f, 0x3f, 0x1c, 0x1b, 0x30]);

export const cases: BenchCase<any>[] = [
  {
    name: 'stripe/compose-tracks',
    setup,
    fn: (s: S) => {
      const h = s.hs[next(s)];
      return [track1String(h), track2String(h)];
    },
    check: (r: string[], s: S) => r[0] === s.t1[s.i] && r[1] === s.t2[s.i],
  },
  {
    name: 'stripe/decode-track1',
    setup,
    fn: (s: S) => decodeTrack(1, s.t1[next(s)] + lrcChar(1, s.t1[s.i])),
    check: (f, s: S) => f.cardNumber === s.hs[s.i].cardNumber && f.expiry === s.hs[s.i].expiry,
  },
  {
    name: 'stripe/decode-track2',
    setup,
    fn: (s: S) => decodeTrack(2, s.t2[next(s)]),
    check: (f, s: S) => f.cardNumber === s.hs[s.i].cardNumber && f.issue === s.hs[s.i].issue,
  },
  { name: 'stripe/bits-track2-forward', setup, fn: (s: S) => decodeTrackBits(2, s.bits2[next(s)]), check: (r, s: S) => r === s.t2[s.i] },
  { name: 'stripe/bits-track2-backwards', setup, fn: (s: S) => decodeTrackBits(2, s.rev2[next(s)]), check: (r, s: S) => r === s.t2[s.i] },
  {
    name: 'stripe/msr-raw-pack-track2',
    setup,
    fn: (s: S) => packRawWrite(s.bits2[next(s)], 8),
    check: (r: Uint8Array, s: S) => r.length === Math.ceil(s.bits2[s.i].length / 8),
  },
  {
    name: 'stripe/msr-iso-reply-feed',
    fn: () => feed(initialReplyState('iso'), isoReply).reply,
    check: (r: any) => r.kind === 'iso' && r.tracks[1].data === ';23?',
  },
];
