/**
 * Backwards swipes read by the library's own decoders, in every mode the MSR drivers offer (issue
 * 14 item 1). The bits come from the independent Python encoder (test-vectors/tracks.json,
 * track-vectors.py: the `track-bits` vectors whose source says "backwards swipe"), already in the
 * order a head meets them on a card pulled the other way; the expected track strings are the
 * vectors' own.
 *
 * - Raw mode (MSR206/605 over a serial link, MSR605X over USB HID): the device only groups the
 *   head's bits into bytes (MSR605 Programmer's Manual section 7); direction detection, parity,
 *   LRC and fields are the library's (unpackRawRead, decodeTrackBits, decodeTrack). The emulator
 *   holds the reversed bits and is swiped forward, so its own ISO decoder takes no part.
 * - ISO mode, HID swipe readers (MagTek, ID TECH) and keyboard wedges: the reader decodes the
 *   stripe in either direction itself and sends characters in reading order (MSR605 manual section
 *   7, MagTek 99875191 "bidirectional"), so a backwards swipe reaches the library as the same text
 *   as a forward one. What the library does there, taking the reader's output apart and decoding
 *   the fields, is tested on that text, built by hand from the vectors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MemorySerialLink } from '../../../src/transport/serial.js';
import { Msr605Emulator } from '../../../src/testing/msr605Emulator.js';
import { attachMsr605xHid, FakeNodeHidDevice } from '../../../src/testing/msr605xHid.js';
import { MsrStripeEncoder } from '../../../src/drivers/msr/stripeEncoder.js';
import { hidSerialLink } from '../../../src/drivers/msr/msr605x.js';
import { hidLinkFromNodeHid } from '../../../src/drivers/msr/nodeHidLink.js';
import { parseMagtekReport } from '../../../src/drivers/msr/hidSwipe.js';
import { feedWedge, initialWedgeState } from '../../../src/drivers/msr/keyboardWedge.js';
import { decodeSwipe } from '../../../src/drivers/msr/swipe.js';
import { decodeTrack, decodeTrackBits } from '../../../src/codec/tracks.js';

interface BitsVector {
  id: string;
  kind: string;
  source: string;
  input: { track: 1 | 2; bits: string };
  expect: { data?: string };
}
const vectors = (JSON.parse(readFileSync(resolve(import.meta.dirname, '../../../test-vectors/tracks.json'), 'utf8')) as { vectors: BitsVector[] }).vectors;
const backwards = vectors.filter((v) => v.kind === 'track-bits' && /backwards/.test(v.source) && v.expect.data);
/** Track 1 and track 2 of the same generated card: t1-bits-N with t2-bits-N. */
const pairs = backwards
  .filter((v) => v.input.track === 1)
  .map((t1) => [t1, backwards.find((t2) => t2.input.track === 2 && t2.id === t1.id.replace('t1-', 't2-'))] as const)
  .filter((p): p is readonly [BitsVector, BitsVector] => p[1] !== undefined);

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

describe('backwards swipe vectors', () => {
  it('has backwards track 1 and 2 pairs, whose bits do not read forward', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(4);
    // The head order really is backwards: the first data character is reached last.
    for (const [t1, t2] of pairs) {
      expect(t1.input.bits.replace(/^0+/, '').startsWith('1010001')).toBe(false); // '%' forward
      expect(t2.input.bits.replace(/^0+/, '').startsWith('11010')).toBe(false); // ';' forward
    }
  });
});

describe('raw mode: the library decodes the head bits', () => {
  for (const [t1, t2] of pairs) {
    it(`MSR206/605 over a serial link: ${t1.id} + ${t2.id}`, async () => {
      const [host, dev] = MemorySerialLink.pair();
      const emu = new Msr605Emulator();
      emu.attach(dev);
      emu.card = { tracks: [t1.input.bits, t2.input.bits, ''], coercivity: 'hi' };
      emu.autoSwipe = {};
      const msr = new MsrStripeEncoder(host, { commandTimeoutMs: 500, swipeTimeoutMs: 2000 });
      cleanup.push(() => msr.dispose());
      const r = await msr.readCardRaw();
      expect([r.bits1, r.bits2].map((b) => b.replace(/0+$/, ''))).toEqual([t1.input.bits, t2.input.bits].map((b) => b.replace(/0+$/, '')));
      expect([r.track1, r.track2]).toEqual([t1.expect.data, t2.expect.data]);
      expect(r.fields1).toEqual(decodeTrack(1, t1.expect.data!));
      expect(r.fields2).toEqual(decodeTrack(2, t2.expect.data!));
    });

    it(`MSR605X over USB HID: ${t1.id} + ${t2.id}`, async () => {
      const emu = new Msr605Emulator();
      const fake = new FakeNodeHidDevice();
      cleanup.push(attachMsr605xHid(emu, fake.peer));
      emu.card = { tracks: [t1.input.bits, t2.input.bits, ''], coercivity: 'hi' };
      emu.autoSwipe = {};
      const msr = new MsrStripeEncoder(hidSerialLink(hidLinkFromNodeHid(fake)), { commandTimeoutMs: 500, swipeTimeoutMs: 2000 });
      cleanup.push(() => msr.dispose());
      const r = await msr.readCardRaw();
      expect([r.track1, r.track2]).toEqual([t1.expect.data, t2.expect.data]);
      expect(r.fields2).toEqual(decodeTrack(2, t2.expect.data!));
    });
  }

  it('every backwards vector straight through the bit decoder', () => {
    for (const v of backwards) expect([v.id, decodeTrackBits(v.input.track, v.input.bits)]).toEqual([v.id, v.expect.data]);
  });
});

describe('reader-decoded modes: the reader sends the text in reading order', () => {
  for (const [t1, t2] of pairs) {
    it(`MagTek HID report and keyboard wedge line: ${t1.id} + ${t2.id}`, () => {
      const [d1, d2] = [t1.expect.data!, t2.expect.data!];
      // MagTek 99875191 "Card data": 0-2 status, 3-5 lengths, 6 encode type, 7/117/227 track data.
      const report = new Uint8Array(337);
      report.set([0, 0, 0, d1.length, d2.length, 0, 0], 0);
      report.set(Array.from(d1, (c) => c.charCodeAt(0)), 7);
      report.set(Array.from(d2, (c) => c.charCodeAt(0)), 117);
      const fromHid = decodeSwipe(parseMagtekReport(report));
      const { swipes } = feedWedge(initialWedgeState, `${d1}${d2}\n`);
      for (const f of [fromHid, decodeSwipe(swipes[0])]) {
        expect(f.errors).toEqual([]);
        expect(f.track1).toEqual(decodeTrack(1, d1));
        expect(f.track2).toEqual(decodeTrack(2, d2));
      }
    });
  }
});
