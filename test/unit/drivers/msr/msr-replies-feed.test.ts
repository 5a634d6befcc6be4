/**
 * MSR605 Programmer's Manual rev. B, sections 6-8: reply bytes as the manual prints them, fed to
 * the pure `feed` step function cut at every byte position (and byte by byte), all giving the
 * same reply. Variants of issue 5: lower-case h/l, ESC + / ESC * track markers.
 */
import { describe, expect, it } from 'vitest';
import { feed, initialReplyState, type FeedResult, type ReplyKind } from '../../../../src/drivers/msr/replies.js';
import { fromHex } from '../../../../src/codec/hex.js';
import { eraseSelectByte, eraseSelectTracks, isoDataBlock, rawDataBlock, bpiByte } from '../../../../src/drivers/msr/protocol.js';

/** Feeds `bytes` in the given chunks; returns the first completed result. */
function run(kind: ReplyKind, chunks: Uint8Array[]): FeedResult {
  let state = initialReplyState(kind);
  for (const c of chunks) {
    const r = feed(state, c);
    if (r.reply || r.error) return r;
    state = r.state;
  }
  return { state, rest: new Uint8Array(0) };
}

/** Every split into two pieces, plus byte by byte: all must give `want`. */
function everyCut(kind: ReplyKind, hex: string, check: (r: FeedResult) => void) {
  const b = fromHex(hex.replace(/\s+/g, ''));
  for (let cut = 0; cut <= b.length; cut++) check(run(kind, [b.subarray(0, cut), b.subarray(cut)]));
  check(run(kind, Array.from(b, (x) => Uint8Array.of(x))));
  // Cut short by one byte: never complete.
  const short = run(kind, [b.subarray(0, b.length - 1)]);
  expect(short.reply).toBeUndefined();
}

describe('section 8 read example', () => {
  // <ESC>s<ESC>[01]%01?<ESC>[02];23?<ESC>[03];45??<FS><ESC><status>
  const hex = '1B73 1B01 2530313F 1B02 3B32333F 1B03 3B34353F 3F1C 1B30';
  it('parses at every cut', () =>
    everyCut('iso', hex, (r) => {
      expect(r.reply).toEqual({
        kind: 'iso',
        status: 0x30,
        tracks: [
          { present: true, data: '%01?', failed: false },
          { present: true, data: ';23?', failed: false },
          { present: true, data: ';45?', failed: false },
        ],
      });
    }));
  it('track 2 only (section 7 note 2): 1B 73 1B 01 1B 02 [string] 3F 1C, then status', () =>
    everyCut('iso', '1B73 1B01 1B02 3B3132333F 3F1C 1B31', (r) => {
      expect(r.reply).toMatchObject({ status: 0x31, tracks: [{ present: true, data: '' }, { data: ';123?' }, { present: false }] });
    }));
  it('ESC + / ESC * markers', () =>
    everyCut('iso', '1B73 1B01 1B2A 1B02 3B313F 1B03 1B2B 3F1C 1B30', (r) => {
      expect(r.reply).toMatchObject({ tracks: [{ failed: true, data: '' }, { data: ';1?' }, { failed: false, data: '' }] });
    }));
  it('a bare status instead of the data block', () => everyCut('iso', '1B39', (r) => expect(r.reply).toEqual({ kind: 'status', status: 0x39 })));
  it('noise before the ESC is skipped and counted; bytes after the reply are returned', () => {
    const r = feed(initialReplyState('status'), fromHex('00FF1B3055'));
    expect(r.reply).toEqual({ kind: 'status', status: 0x30 });
    expect(r.state.skipped).toBe(2);
    expect([...r.rest]).toEqual([0x55]);
  });
  it('a broken block is a PROTOCOL error', () => {
    expect(run('iso', [fromHex('1B731B093F1C1B30')]).error?.code).toBe('PROTOCOL');
  });
});

describe('raw data block (section 7)', () => {
  // Raw bytes may hold 1B, 3F and 1C: only the lengths delimit them.
  const hex = '1B73 1B01 03 1B3F1C 1B02 00 1B03 02 A3FF 3F1C 1B30';
  it('parses at every cut', () =>
    everyCut('raw', hex, (r) => {
      expect(r.reply).toMatchObject({ kind: 'raw', status: 0x30 });
      const t = (r.reply as { tracks: (Uint8Array | undefined)[] }).tracks;
      expect([...t[0]!]).toEqual([0x1b, 0x3f, 0x1c]);
      expect([...t[1]!]).toEqual([]);
      expect([...t[2]!]).toEqual([0xa3, 0xff]);
    }));
});

describe('short replies (section 6)', () => {
  it.each([
    ['commTest', '1B79', { kind: 'commTest' }],
    ['commTest', '1B34', { kind: 'status', status: 0x34 }],
    ['coercivity', '1B48', { kind: 'coercivity', hiCo: true }],
    ['coercivity', '1B6C', { kind: 'coercivity', hiCo: false }], // lower-case l variant
    ['coercivity', '1B68', { kind: 'coercivity', hiCo: true }],
    ['bpc', '1B30080505', { kind: 'bpc', bpc: [8, 5, 5] }],
    ['bpc', '1B32', { kind: 'status', status: 0x32 }],
    ['leadingZeros', '1B3D16', { kind: 'leadingZeros', track13: 0x3d, track2: 0x16 }], // the manual's defaults
    ['model', '1B3353', { kind: 'model', model: '3' }],
    ['model', '1B3153', { kind: 'model', model: '1' }], // MSR206-1: model byte equals status 0x31
    ['firmware', '1B5245565533 2E3034', { kind: 'firmware', version: 'REVU3.04' }],
    ['firmware', '1B34', { kind: 'status', status: 0x34 }],
    ['status', '1B41', { kind: 'status', status: 0x41 }],
  ] as [ReplyKind, string, object][])('%s %s', (kind, hex, want) => everyCut(kind, hex, (r) => expect(r.reply).toEqual(want)));
  it('a wrong reply to the communication test is a PROTOCOL error', () => expect(run('commTest', [fromHex('1B78')]).error?.code).toBe('PROTOCOL'));
});

describe('command blocks (sections 6, 7, 9)', () => {
  it('the section 9 ISO write example: tracks without sentinels', () => {
    // [1B][73][1B][01] ABC123 [1B][02] 12345 [1B][03] 12345 [3F][1C] (the 1B 77 command prefix aside)
    expect(isoDataBlock({ 1: 'ABC123', 2: '12345', 3: '12345' })).toEqual(fromHex('1B731B014142433132331B0231323334351B0331323334353F1C'));
  });
  it('the section 9 raw write example (08 08 08 BITS), after 1B 6E', () => {
    const t1 = fromHex('C5B07814954E3E2A');
    const t2 = fromHex('2B8849EAAF');
    expect(rawDataBlock({ 1: t1, 2: t2, 3: t2 })).toEqual(fromHex('1B731B0108C5B07814954E3E2A1B02052B8849EAAF1B03052B8849EAAF3F1C'));
  });
  it('erase select bytes of command 14, track 1 alone is 00000000', () => {
    expect(eraseSelectByte([1])).toBe(0b000);
    expect(eraseSelectByte([2])).toBe(0b010);
    expect(eraseSelectByte([1, 2])).toBe(0b011);
    expect(eraseSelectByte([1, 2, 3])).toBe(0b111);
    expect(eraseSelectTracks(0b101)).toEqual([1, 3]);
    expect(eraseSelectTracks(0b001)).toBeUndefined();
  });
  it('BPI bytes of command 15', () => {
    expect([bpiByte(2, 210), bpiByte(2, 75), bpiByte(1, 210), bpiByte(1, 75), bpiByte(3, 210), bpiByte(3, 75)]).toEqual([0xd2, 0x4b, 0xa1, 0xa0, 0xc1, 0xc0]);
  });
});
