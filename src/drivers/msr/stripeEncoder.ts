/**
 * HMS card stripes on an MSR206/605-family encoder (spec section 4): write tracks 1 and 2 of a
 * holder and verify them by reading back, read a card through the spec's track decoders, and read
 * raw bits (either swipe direction) through the spec's bit-level decoder.
 */
import { Msr206, type CallOptions } from './msr206.js';
import { MsrError, statusError } from './errors.js';
import { STATUS_OK } from './protocol.js';
import type { IsoTrack } from './replies.js';
import type { ValidHolder } from '../../codec/holder.js';
import { decodeTrack, decodeTrackBits, track1String, track2String, trackToBits, type TrackFields } from '../../codec/tracks.js';
import { packRawWrite, unpackRawRead } from '../../codec/msrRaw.js';

export interface StripeRead {
  track1: string;
  track2: string;
  /** Fields of track 1 (with `name`) and track 2 (with `issue`), from the spec's track decoder. */
  fields1: TrackFields;
  fields2: TrackFields;
}

export interface WriteCardOptions extends CallOptions {
  /** Set the write coercivity first (ESC x / ESC y). */
  coercivity?: 'hi' | 'lo';
  /** Called between the write swipe and the read-back swipe (prompt the operator). */
  onSwipeAgain?: () => void;
}

function takeTrack(t: IsoTrack, n: 1 | 2, status: number): string {
  if (t.failed) throw new MsrError('TRACK_FAILED', `the device could not read track ${n}`, { track: n, status });
  if (!t.present || t.data === '') {
    if (status !== STATUS_OK) throw statusError(status, `read track ${n}`);
    throw new MsrError('TRACK_FAILED', `track ${n} is blank`, { track: n, status });
  }
  return t.data;
}

export class MsrStripeEncoder extends Msr206 {
  /** Reads a card in ISO mode and decodes tracks 1 and 2 (HmskError with the spec's codes). */
  async readCard(opts?: CallOptions): Promise<StripeRead> {
    const r = await this.readIso(opts);
    const track1 = takeTrack(r.tracks[0], 1, r.status);
    const track2 = takeTrack(r.tracks[1], 2, r.status);
    return { track1, track2, fields1: decodeTrack(1, track1), fields2: decodeTrack(2, track2) };
  }

  /**
   * Writes tracks 1 and 2 of the holder (spec section 4) in ISO mode, then reads them back from a
   * second swipe and compares; VERIFY_FAILED when they differ (e.g. a Hi-Co card under a Lo-Co
   * write, which leaves the old data).
   */
  async writeCard(holder: ValidHolder, opts: WriteCardOptions = {}): Promise<StripeRead> {
    const track1 = track1String(holder);
    const track2 = track2String(holder);
    if (opts.coercivity) await this.setCoercivity(opts.coercivity, opts);
    await this.writeIso({ 1: track1, 2: track2 }, opts);
    opts.onSwipeAgain?.();
    let back: StripeRead;
    try {
      back = await this.readCard(opts);
    } catch (e) {
      if (e instanceof MsrError && e.code === 'TRACK_FAILED') throw new MsrError('VERIFY_FAILED', `read-back failed: ${e.message}`, { track: e.track, cause: e });
      throw e;
    }
    for (const [n, want, got] of [[1, track1, back.track1], [2, track2, back.track2]] as const) {
      if (want !== got) throw new MsrError('VERIFY_FAILED', `track ${n} reads back ${JSON.stringify(got)}, wrote ${JSON.stringify(want)}`, { track: n });
    }
    return back;
  }

  /** Writes tracks 1 and 2 in raw mode at 8 BPC (the driver computes parity and LRC). */
  async writeCardRaw(holder: ValidHolder, opts: CallOptions = {}): Promise<void> {
    await this.setBpc([8, 8, 8], opts);
    const raw = (n: 1 | 2, s: string) => packRawWrite(trackToBits(n, s, { leadingZeros: 0, trailingZeros: 0 }), 8);
    await this.writeRaw({ 1: raw(1, track1String(holder)), 2: raw(2, track2String(holder)) }, opts);
  }

  /**
   * Reads raw bits at 8 BPC and decodes tracks 1 and 2 with the spec's bit-level decoder, so a card
   * swiped either way round decodes; then the track decoder.
   */
  async readCardRaw(opts: CallOptions = {}): Promise<StripeRead & { bits1: string; bits2: string }> {
    await this.setBpc([8, 8, 8], opts);
    const r = await this.readRaw(opts);
    if (r.status !== STATUS_OK) throw statusError(r.status, 'raw read');
    const bits1 = unpackRawRead(r.tracks[0] ?? new Uint8Array(0), 8);
    const bits2 = unpackRawRead(r.tracks[1] ?? new Uint8Array(0), 8);
    const track1 = decodeTrackBits(1, bits1);
    const track2 = decodeTrackBits(2, bits2);
    return { track1, track2, bits1, bits2, fields1: decodeTrack(1, track1), fields2: decodeTrack(2, track2) };
  }
}
