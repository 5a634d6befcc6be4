/**
 * Spec section 2: the readable reference codec (formats/record-layout.ts, @solana/buffer-layout)
 * and the hand-written fast path (src/codec/gateBlockDecode.ts, recordDecode.ts, under record.ts) agree:
 * on every decode vector, and on 10 000 random records, valid and mutated (mutations re-sealed
 * with fresh CRCs in part of the runs so they reach the field checks): the same result, or the
 * same error code. Also: random valid holders round-trip through both encoders.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HmskError } from '../../../src/codec/errors.js';
import { crc16CcittFalse, crc32 } from '../../../src/codec/crc.js';
import { fromHex, toHex } from '../../../src/codec/hex.js';
import { validateHolder } from '../../../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord } from '../../../src/codec/record.js';
import { decodeGateBlockLayout, decodeRecordLayout, encodeRecordLayout } from '../../../formats/record-layout.js';
import { mutate, mutations, validHolder } from '../../helpers/holderArbitraries.js';

function outcome(f: () => unknown): unknown {
  try {
    return { ok: f() };
  } catch (e) {
    if (e instanceof HmskError) return { error: e.code };
    throw e;
  }
}
function agreeGate(b: Uint8Array): unknown {
  const fast = outcome(() => decodeGateBlock(b));
  expect(outcome(() => decodeGateBlockLayout(b))).toEqual(fast);
  return fast;
}
function agreeRecord(b: Uint8Array): unknown {
  const fast = outcome(() => decodeRecord(b));
  expect(outcome(() => decodeRecordLayout(b))).toEqual(fast);
  return fast;
}
function reseal(b: Uint8Array, gate: boolean, record: boolean): Uint8Array {
  if (gate && b.length >= 16) {
    const c = crc16CcittFalse(b.subarray(0, 14));
    b[14] = c >> 8;
    b[15] = c & 0xff;
  }
  if (record && b.length === 144) new DataView(b.buffer).setUint32(140, crc32(b.subarray(0, 140)));
  return b;
}

describe('layout path and fast path agree', () => {
  it('on every decode vector in test-vectors/', () => {
    const dir = resolve(import.meta.dirname, '../../../test-vectors');
    let n = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      for (const v of JSON.parse(readFileSync(join(dir, f), 'utf8')).vectors) {
        const hex = v.kind === 'decode-record' ? v.input.record : v.kind === 'decode-gate' ? v.input.gateBlock : undefined;
        const bytes = typeof hex === 'string' ? fromHex(hex) : undefined;
        if (!bytes) continue;
        n++;
        const r = v.kind === 'decode-record' ? agreeRecord(bytes) : agreeGate(bytes);
        // And both give what the vector says.
        expect(r, v.id).toEqual(v.expect.error ? { error: v.expect.error } : { ok: v.expect.holder });
      }
    }
    expect(n).toBeGreaterThan(3);
  });

  it('on 10 000 random records, valid and mutated', () => {
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(validHolder(), fc.boolean(), fc.boolean(), mutations, fc.boolean(), fc.boolean(), (h, truncate, signed, muts, rs16, rs32) => {
        let rec: Uint8Array;
        try {
          rec = encodeRecord(h, { truncate, signed });
        } catch (e) {
          expect((e as HmskError).code).toBe('TOO_LONG');
          return;
        }
        const b = reseal(mutate(rec, muts), rs16, rs32);
        const r = agreeRecord(b) as { error?: string };
        agreeGate(b.subarray(0, 16));
        const key = r.error ?? 'ok';
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }),
      { numRuns: 10_000 },
    );
    // The mutations reach every record check, not only the CRCs.
    for (const c of ['ok', 'BAD_CRC', 'BAD_FIELD', 'UNKNOWN_FORMAT', 'UNSUPPORTED_VERSION']) expect(codes.get(c) ?? 0, `${c} in ${[...codes]}`).toBeGreaterThan(0);
  });

  it('on random byte strings of any length near 16 and 144', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 20 }), fc.uint8Array({ minLength: 140, maxLength: 148 })), fc.boolean(), (raw, rs) => {
        const b = reseal(raw.slice(), rs, rs);
        agreeGate(b);
        agreeRecord(b);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('random valid holders round-trip (sections 1-2)', () => {
  it('through encodeRecord/decodeRecord, and both encoders write the same bytes', () => {
    fc.assert(
      fc.property(validHolder(), fc.boolean(), fc.boolean(), (h, truncate, signed) => {
        let v;
        try {
          v = validateHolder(h, { truncate });
        } catch (e) {
          expect((e as HmskError).code).toBe('TOO_LONG');
          return;
        }
        const rec = encodeRecord(h, { truncate, signed });
        expect(toHex(encodeRecordLayout(h, { truncate, signed }))).toBe(toHex(rec));
        const { cardNumberValue: _n, ...fields } = v;
        void _n;
        expect(decodeRecord(rec)).toEqual({ ...fields, signed });
        expect(decodeGateBlock(rec.subarray(0, 16))).toEqual({ category: v.category, cardNumber: v.cardNumber, orgNumber: v.orgNumber, expiry: v.expiry, issue: v.issue });
        // Leading zeros are not significant (section 1).
        expect(v.cardNumber).toBe(String(Number(h.cardNumber)));
      }),
      { numRuns: 2000 },
    );
  });
});
