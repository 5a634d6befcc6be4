/**
 * Byte compatibility of the C library (firmware-bridge/) with the TypeScript library, both ways
 * (STYLE.md; nanopb tests/alltypes): TypeScript encodes random holders (fast-check) and the C
 * decoder's fields must equal the holder; C re-emits the gate block it decoded and it must equal
 * TypeScript's bytes; mutated records get the same error code from both decoders; C and TypeScript
 * decide alike on random instants around expiry (Oslo date); the C tracks decoder reads
 * TypeScript's tracks; bridge frames from C decode in TypeScript and vice versa, byte for byte.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { orgCheckDigit } from '../../../src/codec/checkDigits.js';
import { validateHolder, type ValidHolder } from '../../../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord } from '../../../src/codec/record.js';
import { decideGate } from '../../../src/codec/gateDecision.js';
import { decodeTrack, track1String, track2String, withLrc } from '../../../src/codec/tracks.js';
import { HmskError } from '../../../src/codec/errors.js';
import { encodeBridgeFrame, feed, newBridgeFrameState } from '../../../src/bridge/cobs.js';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../../../src/bridge/messages.js';
import { buildNative, missingTools, runCli } from '../../helpers/bridge-native.js';
import { fromHex, toHex } from '../../helpers/hex.js';

const skip = missingTools(['cc', 'make']);
let cli = '';

const text = fc
  .array(fc.constantFrom('a', 'Z', 'Å', 'ø', 'ß', 'é', 'Ł', '漢', '😀', '-', "'", 'x y'), { minLength: 1, maxLength: 14 })
  .map((a) => a.join(''));
const isoDay = (from: number, to: number) => fc.integer({ min: from, max: to }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const holder = fc
  .record({
    category: fc.constantFrom('construction' as const, 'cleaning' as const),
    cardNumber: fc.integer({ min: 1, max: 999_999_999_999 }).map(String),
    org8: fc.integer({ min: 0, max: 99_999_999 }).map((n) => String(n).padStart(8, '0')),
    givenName: text,
    familyName: text,
    orgName: text,
    birthDate: isoDay(-25_567, 39_968), // 1900-01-01 ..= 2079-06-06
    gender: fc.constantFrom('M' as const, 'F' as const, 'X' as const),
    expiry: isoDay(10_957, 47_481), // 2000-01-01 ..= 2099-12-31
    issue: fc.nat(255),
  })
  .filter((h) => orgCheckDigit(h.org8) >= 0)
  .map(({ org8, ...h }) => validateHolder({ ...h, orgNumber: org8 + orgCheckDigit(org8) }, { truncate: true }));

const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed: number) => fc.sample(arb, { numRuns: n, seed });

describe.skipIf(skip !== null)(`C library vs TypeScript${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(() => {
    [cli] = buildNative('build/hmsk_cli');
  }, 120_000);

  it('C decodes records that TypeScript encoded: every field equal; C re-encodes the gate block byte for byte', () => {
    const holders: ValidHolder[] = sample(holder, 300, 1);
    const records = holders.map((h, i) => encodeRecord(h, { signed: i % 3 === 0 }));
    const got = runCli(cli, records.map((r) => `record ${toHex(r)}`));
    const gates = runCli(cli, records.map((r) => `gate ${toHex(r.subarray(0, 16))}`));
    holders.forEach((h, i) => {
      const ts = decodeRecord(records[i]);
      expect(got[i]).toEqual({
        category: h.category, cardNumber: h.cardNumber, orgNumber: h.orgNumber, expiry: h.expiry, issue: h.issue,
        reencoded: toHex(records[i].subarray(0, 16)),
        birthDate: h.birthDate, gender: h.gender, givenName: ts.givenName, familyName: ts.familyName, orgName: ts.orgName,
        signed: i % 3 === 0, truncated: ts.truncated,
      });
      expect(got[i].givenName.normalize('NFC')).toBe(h.givenName);
      expect(gates[i].reencoded).toBe(toHex(records[i].subarray(0, 16)));
      expect(decodeGateBlock(fromHex(gates[i].reencoded))).toEqual(decodeGateBlock(records[i].subarray(0, 16)));
    });
  });

  it('mutated records and gate blocks: C and TypeScript fail with the same code, or both decode alike', () => {
    const base = sample(holder, 40, 2).map((h) => encodeRecord(h));
    const muts = sample(fc.tuple(fc.nat(39), fc.array(fc.tuple(fc.nat(143), fc.nat(255)), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean()), 600, 3);
    const inputs = muts.map(([k, edits, gateOnly, fixCrcs]) => {
      const r = base[k].slice();
      for (const [at, v] of edits) r[at] = v;
      if (fixCrcs) {
        // Recompute both CRCs so the field checks behind them are reached, not just BAD_CRC.
        const c16 = crc16(r.subarray(0, 14));
        r[14] = c16 >> 8;
        r[15] = c16 & 0xff;
        const c32 = crc32(r.subarray(0, 140));
        r.set([c32 >>> 24, (c32 >>> 16) & 0xff, (c32 >>> 8) & 0xff, c32 & 0xff], 140);
      }
      return gateOnly ? r.subarray(0, 16) : r;
    });
    const got = runCli(cli, inputs.map((b) => `${b.length === 16 ? 'gate' : 'record'} ${toHex(b)}`));
    const codes = new Set<string>();
    inputs.forEach((b, i) => {
      let ts: string;
      try {
        const d = b.length === 16 ? decodeGateBlock(b) : decodeRecord(b);
        ts = JSON.stringify({ category: d.category, cardNumber: d.cardNumber, expiry: d.expiry, issue: d.issue });
      } catch (e) {
        expect(e).toBeInstanceOf(HmskError);
        ts = (e as HmskError).code;
      }
      const c = got[i].error ?? JSON.stringify({ category: got[i].category, cardNumber: got[i].cardNumber, expiry: got[i].expiry, issue: got[i].issue });
      codes.add(got[i].error ?? 'ok');
      expect(c, toHex(b)).toBe(ts);
    });
    expect([...codes].sort()).toEqual(expect.arrayContaining(['BAD_CRC', 'BAD_FIELD', 'ok']));
  });

  it('C and TypeScript decide alike around the expiry instant (Europe/Oslo date, summer and winter)', () => {
    const gates = sample(holder, 60, 4).map((h) => encodeRecord(h).subarray(0, 16));
    const lines: string[] = [];
    const expect_: string[] = [];
    gates.forEach((g) => {
      const exp = decodeGateBlock(g).expiry;
      const midnightUtc = Date.parse(`${exp}T00:00:00Z`) + 86_400_000; // next day 00:00Z
      for (const offH of [-2, -1, -0.0003, 0, 1, 22, 23]) {
        const ms = midnightUtc + offH * 3_600_000;
        const sec = Math.floor(ms / 1000);
        lines.push(`decide ${toHex(g)} ${sec}`);
        const d = decideGate(g, sec * 1000, [], {});
        expect_.push(`${d.allow} ${d.reason}`);
      }
    });
    const got = runCli(cli, lines);
    expect(got.map((d) => `${d.allow} ${d.reason}`)).toEqual(expect_);
  });

  it('C decodes the tracks that TypeScript writes (with and without LRC)', () => {
    const hs = sample(holder, 100, 5);
    const lines = hs.flatMap((h) => [`track1 ${withLrc(1, track1String(h))}`, `track2 ${withLrc(2, track2String(h))}`, `track2 ${track2String(h)}`]);
    const got = runCli(cli, lines);
    hs.forEach((h, i) => {
      const base = { orgNumber: h.orgNumber, cardNumber: h.cardNumber, expiry: h.expiry, category: h.category };
      expect(got[3 * i]).toEqual({ ...base, name: track1String(h).split('^')[1] });
      expect(got[3 * i + 1]).toEqual({ ...base, issue: h.issue });
      expect(got[3 * i + 2]).toEqual({ ...base, issue: h.issue });
    });
  });

  it('mutated tracks: C and TypeScript give the same error code, or the same fields', () => {
    const hs = sample(holder, 60, 7);
    const tracks = hs.flatMap((h) => [withLrc(1, track1String(h)), withLrc(2, track2String(h)), track2String(h)]);
    const charset = ';=?%^/ -ABRZ0123456789';
    const edits = sample(fc.tuple(fc.nat(tracks.length - 1), fc.nat(80), fc.nat(charset.length - 1), fc.constantFrom('set', 'delete', 'insert')), 800, 8);
    const inputs = edits.map(([t, at, c, how]) => {
      const s = tracks[t];
      const p = at % s.length;
      const ch = charset[c];
      return how === 'set' ? s.slice(0, p) + ch + s.slice(p + 1) : how === 'delete' ? s.slice(0, p) + s.slice(p + 1) : s.slice(0, p) + ch + s.slice(p);
    });
    const kind = (s: string) => (s.startsWith('%') ? 1 : 2);
    const got = runCli(cli, inputs.map((s) => `track${kind(s)} ${s}`));
    const seen = new Set<string>();
    inputs.forEach((s, i) => {
      let ts: unknown;
      try {
        const f = decodeTrack(kind(s), s) as unknown as Record<string, unknown>;
        ts = { orgNumber: f.orgNumber, cardNumber: f.cardNumber, expiry: f.expiry, category: f.category, ...(kind(s) === 1 ? { name: f.name } : { issue: f.issue }) };
      } catch (e) {
        expect(e).toBeInstanceOf(HmskError);
        ts = { error: (e as HmskError).code };
      }
      seen.add(got[i].error ?? 'ok');
      expect(got[i], s).toEqual(ts);
    });
    expect([...seen].sort()).toEqual(expect.arrayContaining(['BAD_CHECK_DIGIT', 'BAD_FORMAT', 'BAD_LRC', 'ok']));
  });

  it('bridge frames: C-built card frames equal TypeScript-built ones byte for byte and decode in TypeScript', () => {
    const cards = sample(fc.record({ seq: fc.nat(255), uid: fc.constantFrom(4, 7, 10).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), gateBlock: fc.uint8Array({ minLength: 16, maxLength: 16 }) }), 200, 6);
    const got = runCli(cli, cards.map((c) => `frame-card ${c.seq} ${toHex(c.uid)} ${toHex(c.gateBlock)}`));
    cards.forEach((c, i) => {
      const ts = encodeBridgeFrame(encodeMessage({ type: 'card', ...c }));
      expect(got[i].frame).toBe(toHex(ts));
      const r = feed(newBridgeFrameState(), fromHex(got[i].frame));
      expect(r.frames.map(decodeMessage)).toEqual([{ type: 'card', ...c }]);
    });
  });

  it('bridge frames: TypeScript-built host messages decode in C to the same values', () => {
    const msgs: BridgeMessage[] = [
      { type: 'decision', seq: 7, allow: true, reason: 'ok', error: null },
      { type: 'decision', seq: 8, allow: false, reason: 'invalid', error: 'BLANK' },
      { type: 'hotlist', seq: 1, version: 70000, items: [{ op: 'put', cardNumber: '999999999999', status: 'destroyed' }, { op: 'put', cardNumber: '42', status: 'stolen', minIssue: 2 }, { op: 'remove', cardNumber: '4294967296' }] },
      { type: 'heartbeat', seq: 2, uptimeMs: 4_000_000_000, hotlistVersion: 9, hotlistCount: 65535, badFrames: 1 },
      { type: 'error', seq: 3, code: 'DECODE', detail: 5 },
    ];
    const stream = Buffer.concat(msgs.map((m) => encodeBridgeFrame(encodeMessage(m))));
    const [got] = runCli(cli, [`unframe 00${stream.toString('hex')}`]);
    expect(got.badFrames).toBe(0);
    expect(got.messages).toEqual([
      { type: 2, seq: 7, allow: 1, reason: 0, error: 0 },
      { type: 2, seq: 8, allow: 0, reason: 1, error: 2 },
      { type: 3, seq: 1, version: 70000, items: [{ op: 1, cardNumber: '999999999999', status: 4, minIssue: 65535 }, { op: 1, cardNumber: '42', status: 2, minIssue: 2 }, { op: 0, cardNumber: '4294967296', status: 0, minIssue: 65535 }] },
      { type: 4, seq: 2, uptimeMs: 4_000_000_000, hotlistVersion: 9, hotlistCount: 65535, badFrames: 1 },
      { type: 5, seq: 3, code: 5, detail: 5 },
    ]);
  });
});

// Independent CRCs for the mutation test (bitwise from the spec's parameters).
function crc16(d: Uint8Array): number {
  let c = 0xffff;
  for (const b of d) {
    c ^= b << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
  }
  return c;
}
function crc32(d: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of d) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
