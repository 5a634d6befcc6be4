/**
 * The bridge protocol's pure layers (firmware-bridge/PROTOCOL.md): COBS against the published
 * examples, the frame against a CRC written here independently (bitwise, from the spec's
 * parameters), every message type against bytes derived by hand from PROTOCOL.md's tables, the
 * `feed` step function cut at every length, and a seeded noisy-link property.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cobsDecode, cobsEncode, encodeBridgeFrame, feed, newBridgeFrameState } from '../../../src/bridge/cobs.js';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../../../src/bridge/messages.js';
import { BridgeError } from '../../../src/bridge/errors.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';

const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** CRC-16/CCITT-FALSE bitwise from the spec's parameters (poly 0x1021, init 0xFFFF), not the code under test. */
function crc16Reference(data: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

describe('COBS (Cheshire & Baker 1999), the examples of the COBS article on Wikipedia', () => {
  const examples: [string, Uint8Array, Uint8Array][] = [
    ['1', hex('00'), hex('0101')],
    ['2', hex('0000'), hex('010101')],
    ['3', hex('00 11 00'), hex('01 02 11 01')],
    ['4', hex('11 22 00 33'), hex('03 11 22 02 33')],
    ['5', hex('11 22 33 44'), hex('05 11 22 33 44')],
    ['6', hex('11 00 00 00'), hex('02 11 01 01 01')],
    ['7', range(0x01, 0xfe), cat(hex('ff'), range(0x01, 0xfe))],
    ['8', range(0x00, 0xfe), cat(hex('01 ff'), range(0x01, 0xfe))],
    ['9', range(0x01, 0xff), cat(hex('ff'), range(0x01, 0xfe), hex('02 ff'))],
    ['10', cat(range(0x02, 0xff), hex('00')), cat(hex('ff'), range(0x02, 0xff), hex('01 01'))],
    ['11', cat(range(0x03, 0xff), hex('00 01')), cat(hex('fe'), range(0x03, 0xff), hex('02 01'))],
  ];
  for (const [name, raw, enc] of examples) {
    it(`example ${name}: encodes and decodes`, () => {
      expect(toHex(cobsEncode(raw))).toBe(toHex(enc));
      expect(toHex(cobsDecode(enc)!)).toBe(toHex(raw));
    });
  }
  it('rejects a block that runs past the end and a zero inside', () => {
    expect(cobsDecode(hex('05 11 22'))).toBeNull();
    expect(cobsDecode(hex('03 11 00'))).toBeNull();
  });
  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        expect(toHex(cobsDecode(cobsEncode(b))!)).toBe(toHex(b));
      }),
    );
  });
});

describe('frame = COBS(payload || CRC-16 BE) || 00', () => {
  it('matches COBS by hand over the independently computed CRC', () => {
    const payload = hex('11 22 00 33');
    const crc = crc16Reference(payload);
    const out = encodeBridgeFrame(payload);
    if ((crc >> 8) !== 0 && (crc & 0xff) !== 0) expect(toHex(out)).toBe(toHex(cat(hex('03 11 22 04 33'), Uint8Array.of(crc >> 8, crc & 0xff), hex('00'))));
    expect(crc16Reference(new TextEncoder().encode('123456789'))).toBe(0x29b1); // the reference itself, against the catalogue
  });
});

describe('the example of PROTOCOL.md', () => {
  it('card message seq 5 frames to the documented bytes (COBS by hand: zeros at payload offsets 9, 10, 20)', () => {
    const payload = hex('01 05 04 04a1b2c3 4811000001e2403a19aae128a800ff8d');
    const crc = crc16Reference(payload);
    expect(crc).toBe(0x3783);
    const frame = encodeBridgeFrame(encodeMessage({ type: 'card', seq: 5, uid: hex('04a1b2c3'), gateBlock: payload.subarray(7) }));
    expect(toHex(frame)).toBe('0a01050404a1b2c34811010a01e2403a19aae128a805ff8d378300');
  });
});

describe('messages, bytes by hand from PROTOCOL.md', () => {
  const gate = hex('4811000001e2403a19aae128a800ff8d'); // the spec's decode-gate example
  const cases: [string, BridgeMessage, string][] = [
    // type 01, seq 05, uidLen 04, uid, 16 gate bytes
    ['card', { type: 'card', seq: 5, uid: hex('04a1b2c3'), gateBlock: gate }, '0105 04 04a1b2c3 4811000001e2403a19aae128a800ff8d'],
    // type 02, seq 05, allow 0, reason 3 (hotlisted), error 0
    ['decision', { type: 'decision', seq: 5, allow: false, reason: 'hotlisted', error: null }, '0205 00 03 00'],
    // invalid with BAD_CRC (5)
    ['decision invalid', { type: 'decision', seq: 9, allow: false, reason: 'invalid', error: 'BAD_CRC' }, '0209 00 01 05'],
    // version 2, 2 items: put 123456 (0x01E240) lost (1) minIssue 3; remove 999999999999 (0xE8D4A50FFF) status 0 minIssue FFFF
    [
      'hotlist',
      { type: 'hotlist', seq: 1, version: 2, items: [{ op: 'put', cardNumber: '123456', status: 'lost', minIssue: 3 }, { op: 'remove', cardNumber: '999999999999' }] },
      '0301 00000002 02 01 000001e240 01 0003 00 e8d4a50fff 00 ffff',
    ],
    // uptime 1000 ms, hot-list version 7, 300 entries (0x012C), 2 bad frames
    ['heartbeat', { type: 'heartbeat', seq: 0xff, uptimeMs: 1000, hotlistVersion: 7, hotlistCount: 300, badFrames: 2 }, '04ff 000003e8 00000007 012c 0002'],
    // HOTLIST_GAP (6), detail 7
    ['error', { type: 'error', seq: 3, code: 'HOTLIST_GAP', detail: 7 }, '0503 06 07'],
  ];
  for (const [name, msg, bytes] of cases) {
    it(`${name}: encodes to the hand-derived bytes and back`, () => {
      expect(toHex(encodeMessage(msg))).toBe(bytes.replace(/\s+/g, ''));
      expect(decodeMessage(hex(bytes))).toEqual(msg);
    });
  }
  it('rejects wrong lengths, unknown types and contradictions with BridgeError codes', () => {
    const code = (b: string) => {
      try {
        decodeMessage(hex(b));
      } catch (e) {
        expect(e).toBeInstanceOf(BridgeError);
        return (e as BridgeError).code;
      }
      return 'accepted';
    };
    expect(code('0205 00 03')).toBe('BAD_MESSAGE'); // decision body 2 bytes
    expect(code('0205 01 03 00')).toBe('BAD_MESSAGE'); // allow with reason hotlisted
    expect(code('0105 05 04a1b2c3aa 4811000001e2403a19aae128a800ff8d')).toBe('BAD_MESSAGE'); // UID length 5
    expect(code('0301 00000002 01 00 000001e240 01 ffff')).toBe('BAD_MESSAGE'); // remove with a status
    expect(code('0301 00000002 01 01 0000000000 01 ffff')).toBe('BAD_MESSAGE'); // card number 0
    expect(code('0900')).toBe('UNKNOWN_TYPE');
  });
});

describe('feed(state, chunk): the receiver step function', () => {
  const msgs: BridgeMessage[] = [
    { type: 'heartbeat', seq: 1, uptimeMs: 5, hotlistVersion: 0, hotlistCount: 0, badFrames: 0 },
    { type: 'card', seq: 2, uid: hex('04a1b2c3d4e5f6'), gateBlock: hex('4811000001e2403a19aae128a800ff8d') },
    { type: 'decision', seq: 2, allow: true, reason: 'ok', error: null },
  ];
  const stream = cat(hex('00'), ...msgs.map((m) => encodeBridgeFrame(encodeMessage(m))));
  const run = (chunks: Uint8Array[]) => {
    let state = newBridgeFrameState();
    const got: BridgeMessage[] = [];
    for (const c of chunks) {
      const r = feed(state, c);
      state = r.state;
      got.push(...r.frames.map(decodeMessage));
    }
    return { got, bad: state.badFrames };
  };
  it('gives the same messages whatever the cut, at every cut point', () => {
    for (let i = 0; i <= stream.length; i++) expect(run([stream.subarray(0, i), stream.subarray(i)])).toEqual({ got: msgs, bad: 0 });
  });
  it('gives the same messages byte by byte', () => {
    expect(run([...stream].map((b) => Uint8Array.of(b)))).toEqual({ got: msgs, bad: 0 });
  });
  it('drops a damaged frame and resynchronises at the next delimiter', () => {
    const damaged = stream.slice();
    const firstFrameEnd = damaged.indexOf(0, 1);
    damaged[firstFrameEnd - 2] ^= 0x10; // inside the first frame's CRC
    expect(run([damaged])).toEqual({ got: msgs.slice(1), bad: 1 });
  });
  it('keeps memory bounded on a run of garbage without delimiters', () => {
    const r = feed(newBridgeFrameState(), new Uint8Array(100_000).fill(0x55));
    expect(r.state.pending.length).toBeLessThanOrEqual(1025);
    expect(feed(r.state, hex('00')).bad).toBe(1);
  });
  it('never yields a message that was not sent, under drops and bit flips (seeded property)', () => {
    const message = fc.record({ seq: fc.nat(255), uid: fc.uint8Array({ minLength: 7, maxLength: 7 }), gateBlock: fc.uint8Array({ minLength: 16, maxLength: 16 }) });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.nat(), fc.nat(7), fc.boolean()), { maxLength: 8 }), (ms, hits) => {
        const sent = ms.map((m) => encodeMessage({ type: 'card', ...m }));
        const wire = [...cat(...sent.map(encodeBridgeFrame))];
        for (const [pos, bit, drop] of hits) {
          const p = pos % wire.length;
          if (drop) wire.splice(p, 1);
          else wire[p] ^= 1 << bit;
        }
        const r = feed(newBridgeFrameState(), Uint8Array.from(wire));
        const sentHex = new Set(sent.map(toHex));
        for (const f of r.frames) {
          let ok = true;
          try {
            decodeMessage(f);
          } catch {
            ok = false; // a CRC collision that the message layer still rejects
          }
          if (ok) expect(sentHex.has(toHex(f))).toBe(true);
        }
        if (hits.length === 0) expect(r.frames.length).toBe(ms.length);
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });
});
