/**
 * The Evolis stream parser (src/testing/evolisEmulator/frames.ts) against the documents' own
 * strings (research/evolis.md §5: A5013 rev. E p.29, p.44, p.46, p.57, p.7, p.13, p.64; the S11
 * bytes of `Dm;1;80C3D245`), cut at every length; the two documented Dbc parameter forms
 * (A5013 p.6 and p.15); NUL padding; payloads holding CR and ESC; malformed input that never throws.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EMPTY_EVOLIS_STATE, feedEvolis, finishEvolis, type EvolisFrame } from '../../../../src/testing/evolisEmulator/frames.js';
import { ascii, cat, frame } from '../../../helpers/evolisStreams.js';

function parse(bytes: Uint8Array, cuts: number[] = []): EvolisFrame[] {
  let state = EMPTY_EVOLIS_STATE;
  const out: EvolisFrame[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    const step = feedEvolis(state, bytes.subarray(at, cut));
    state = step.state;
    out.push(...step.frames);
    at = cut;
  }
  return [...out, ...finishEvolis(state)];
}

const summary = (fs: EvolisFrame[]) => fs.map((f) => [f.command, ...f.params].join(';'));

// S11: the bytes of Dm;1;80C3D245 on the wire.
const DM_BYTES = Uint8Array.from([0x1b, 0x44, 0x6d, 0x3b, 0x31, 0x3b, 0x38, 0x30, 0x43, 0x33, 0x44, 0x32, 0x34, 0x35, 0x0d]);
const DOC_STRINGS = [
  'Ss', 'Ssd;y', 'Ssd;m', 'Ssd;c', 'Ssd;o', 'Se', // A5013 p.44
  'Wcb;k', 'Ss', 'Pwr;0', 'Wt;100;300;0;10;Test Rotations', // p.29
  'Wb;300;300;c39;12;4;100;1;TEST', // p.46
  'Pos;+;12', 'Pos;=;1400', 'Pcom;1;9600;N;8;1', 'Ase;c;150', 'Sk;f;1', // p.57, p.7, p.13, p.64
];

describe('frames: ESC command ; parameters CR (A5013 p.4) (emulator / scripted replies; no real printer)', () => {
  it('reads the S11 bytes of Dm;1;80C3D245 as one frame, offsets included', () => {
    expect(parse(DM_BYTES)).toEqual([{ offset: 0, end: 15, command: 'Dm', params: ['1', '80C3D245'], esc: true, nulsBefore: 0 }]);
  });

  it('reads the guide strings of p.29, p.44, p.46, p.57, p.7, p.13, p.64 the same however the stream is cut', () => {
    const stream = cat(...DOC_STRINGS.map(frame), DM_BYTES);
    const whole = parse(stream);
    expect(summary(whole)).toEqual([...DOC_STRINGS, 'Dm;1;80C3D245']);
    for (let cut = 0; cut <= stream.length; cut++) expect(parse(stream, [cut])).toEqual(whole);
    for (let n = 1; n <= 7; n++) {
      const cuts = Array.from({ length: Math.floor(stream.length / n) }, (_, i) => (i + 1) * n);
      expect(parse(stream, cuts)).toEqual(whole);
    }
  });

  it('skips NUL padding between frames and counts it', () => {
    const fs = parse(cat(frame('Ss'), new Uint8Array(32), frame('Se;1'), new Uint8Array(5)));
    expect(summary(fs)).toEqual(['Ss', 'Se;1']);
    expect(fs[1].nulsBefore).toBe(32);
    expect(fs[1].offset).toBe(4 + 32);
  });

  it('takes a frame without ESC after a CR (A5013 p.4: the start character is not compulsory there)', () => {
    const fs = parse(ascii('\x1bSs\rSr\r\x1bSe\r'));
    expect(fs.map((f) => [f.command, f.esc])).toEqual([['Ss', true], ['Sr', false], ['Se', true]]);
  });
});

describe('binary payloads are read by length, not up to a CR (emulator / scripted replies; no real printer)', () => {
  it('Db;k;2 carries 82 296 bytes holding CR and ESC (A5013 p.14; dpavlin evolis-driver.pl)', () => {
    const data = new Uint8Array(82_296).map((_, i) => [0x0d, 0x1b, 0x00, 0xff][i % 4]);
    const fs = parse(cat(ascii('\x1bDb;k;2;'), data, ascii('\r'), frame('Se')), [9, 40_000, 82_300]);
    expect(summary(fs)).toEqual(['Db;k;2', 'Se']);
    expect(fs[0].payload).toEqual(data);
    expect(fs[0].payloadOffset).toBe(8);
  });

  it('Db with 32/64/128 levels carries 5/6/7 bits per dot of 648 x 1016 (A5013 p.14)', () => {
    for (const [levels, bits] of [[32, 5], [64, 6], [128, 7]]) {
      const n = (648 * 1016 * bits) / 8;
      const fs = parse(cat(ascii(`\x1bDb;y;${levels};`), new Uint8Array(n).fill(0x0d), ascii('\r')));
      expect(fs.map((f) => [f.command, f.payload?.length, f.problem])).toEqual([['Db', n, undefined]]);
    }
  });

  it('Dbc in the p.6 form (panel; resolution; byte count) and in the p.15 form (first line; byte count)', () => {
    const p6 = new Uint8Array(1016).fill(0); // 1016 white lines: one counter byte each
    const p15 = Uint8Array.from([3, 0x0d, 0x1b, 0x3b, 0xff, 0x00]); // lines 1013..1015
    const fs = parse(cat(ascii('\x1bDbc;k;2;1016;'), p6, ascii('\r'), ascii('\x1bDbc;o;2;1013;6;'), p15, ascii('\r')));
    expect(fs.map((f) => [f.command, f.params, f.payload?.length])).toEqual([
      ['Dbc', ['k', '2', '1016'], 1016],
      ['Dbc', ['o', '2', '1013', '6'], 6],
    ]);
    expect(fs[1].payload).toEqual(p15);
  });

  it('cut at every length, a stream with both Dbc forms and NULs parses the same', () => {
    const stream = cat(frame('Ss'), ascii('\x1bDbc;k;2;1000;3;'), Uint8Array.from([1, 0x0d, 0]), ascii('\r'), new Uint8Array(3), DM_BYTES);
    const whole = parse(stream);
    for (let cut = 0; cut <= stream.length; cut++) for (let cut2 = cut; cut2 <= stream.length; cut2 += 3) expect(parse(stream, [cut, cut2])).toEqual(whole);
  });
});

describe('malformed input: a problem on the frame, never an exception (emulator / scripted replies; no real printer)', () => {
  it('an unknown number of levels: read on to the CR and say why', () => {
    const fs = parse(cat(ascii('\x1bDb;k;7;abc\r'), frame('Se')));
    expect(summary(fs)).toEqual(['Db;k;7', 'Se']);
    expect(fs[0].problem).toMatch(/levels "7"/);
  });

  it('a stream that ends inside a payload, or before a CR', () => {
    expect(parse(ascii('\x1bDb;k;2;abc'))[0].problem).toMatch(/ends 82293 bytes into a 82296-byte payload/);
    expect(parse(ascii('\x1bSs'))[0].problem).toMatch(/ends before the CR/);
  });

  it('a payload without its CR, a header without CR before the next ESC, an endless header', () => {
    const fs = parse(cat(ascii('\x1bDbc;k;2;1016;'), new Uint8Array(1016), ascii('X\x1bSs'), ascii('\x1bSe\r'), ascii('\x1b' + 'A'.repeat(5000) + '\r')));
    expect(fs.map((f) => [f.command.slice(0, 4), f.problem?.slice(0, 24)])).toEqual([
      ['Dbc', 'no CR after the payload'],
      ['X', 'no CR before the next ES'],
      ['Ss', 'no CR before the next ES'],
      ['Se', undefined],
      ['AAAA', 'header longer than 4096 '],
    ]);
  });

  it('random bytes never throw and every frame lies inside the stream, in order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 5 }), (bytes, cuts) => {
        const fs = parse(bytes, cuts.map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b));
        let last = 0;
        for (const f of fs) {
          expect(f.offset).toBeGreaterThanOrEqual(last);
          expect(f.end).toBeLessThanOrEqual(bytes.length);
          last = f.end;
        }
      }),
    );
  });
});
