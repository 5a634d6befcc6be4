/**
 * src/gate/uidCache.ts: the gate's per-card cache of the UID's hex and sector 1's key A. Its
 * lookup is a 30-bit FNV-1a hash of the UID bytes; two UIDs with the same hash must still get
 * their own hex and their own key (a gate that answered one card with another's key would fail
 * its authentication, or log the wrong UID). The colliding pair below was found by search (FNV-1a
 * 32-bit, offset basis 0x811C9DC5, prime 0x01000193, shifted right by 2).
 */
import { describe, expect, it } from 'vitest';
import { UidCache } from '../../../src/gate/uidCache.js';
import { fromHex as hex, toHex } from '../../helpers/hex.js';

const A = '0417687df65df4';
const B = '04db1240fa9f61';

function fnv30(u: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of u) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 2;
}

function cache(size = 8) {
  const derived: string[] = [];
  const c = new UidCache(size, toHex, (uid) => (derived.push(toHex(uid)), hex(toHex(uid).padEnd(12, '0').slice(0, 12))));
  return { c, derived };
}

describe('UidCache', () => {
  it('the two test UIDs do collide', () => expect(fnv30(hex(A))).toBe(fnv30(hex(B))));
  it('colliding UIDs each get their own hex and key', () => {
    const { c } = cache();
    expect(c.hex(hex(A))).toBe(A);
    expect(toHex(c.key())).toBe(A.slice(0, 12));
    expect(c.hex(hex(B))).toBe(B);
    expect(toHex(c.key())).toBe(B.slice(0, 12));
    expect(c.hex(hex(A))).toBe(A);
    expect(toHex(c.key())).toBe(A.slice(0, 12));
  });
  it('derives a key once per card, and again after the entry was replaced', () => {
    const { c, derived } = cache();
    c.hex(hex(A));
    c.key();
    c.hex(hex(A));
    c.key();
    expect(derived).toEqual([A]);
    c.hex(hex(B)); // replaces A's entry (same slot)
    c.key();
    c.hex(hex(A));
    c.key();
    expect(derived).toEqual([A, B, A]);
  });
  it("keeps its own copy of the UID: the reader's buffer may be reused", () => {
    const { c } = cache();
    const buf = hex(A);
    c.hex(buf);
    buf.set(hex(B)); // the driver's next read lands in the same buffer
    // B hashes to A's slot: an entry sharing the buffer would now "be" B and answer with A's hex.
    expect(c.hex(hex(B))).toBe(B);
    expect(c.hex(hex(A))).toBe(A);
  });
  it('starts again when full', () => {
    const { c, derived } = cache(2);
    for (const u of ['04000001', '04000002', '04000003', '04000001']) {
      c.hex(hex(u));
      c.key();
    }
    expect(derived).toEqual(['04000001', '04000002', '04000003', '04000001']);
  });
});
