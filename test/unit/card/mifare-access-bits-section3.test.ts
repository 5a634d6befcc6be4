/**
 * Spec section 3, access bits, checked against the MF1S50yyX datasheet (section 8.7, Fig 10,
 * Tables 7 and 8) and the spec's own examples. Expected bytes are derived by hand in comments.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accessBitsValid,
  dataBlockPermissions,
  decodeAccessBits,
  encodeAccessBits,
  trailerPermissions,
  type AccessConditions,
  type Bit,
} from '../../../src/card/accessBits.js';
import { HmskError } from '../../../src/codec/errors.js';
import { fromHex as hex } from '../../helpers/hex.js';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof HmskError ? e.code : `not HmskError: ${String(e)}`;
  }
  return 'no error';
};

describe('decode (spec section 3 examples)', () => {
  it('78 77 88 is data (1,0,0) x3 and trailer (0,1,1)', () => {
    expect(decodeAccessBits(hex('787788'))).toEqual([[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1]]);
  });
  it('FF 07 80 is the transport configuration: data (0,0,0), trailer (0,0,1)', () => {
    expect(decodeAccessBits(hex('ff0780'))).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 1]]);
  });
  it('78 77 89 fails the inverted-copy check', () => {
    expect(codeOf(() => decodeAccessBits(hex('787789')))).toBe('INVALID_ACCESS_BITS');
  });
});

describe('encode (hand-derived bytes)', () => {
  it('HMSK conditions give 78 77 88', () => {
    // C1 = 0111 (blocks 0-2), C2 = 1000, C3 = 1000 (block 3):
    // byte6 = ~C2<<4 | ~C1 = 0111<<4 | 1000 = 0x78; byte7 = C1<<4 | ~C3 = 0x70 | 0x7 = 0x77;
    // byte8 = C3<<4 | C2 = 0x80 | 0x8 = 0x88.
    expect(Buffer.from(encodeAccessBits([[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1]])).toString('hex')).toBe('787788');
  });
  it('value blocks (1,1,0) with trailer (0,1,1) give 08 77 8F', () => {
    // C1 = 0111, C2 = 1111, C3 = 1000: byte6 = 0000<<4 | 1000 = 0x08; byte7 = 0x70 | 0111 = 0x77;
    // byte8 = 1000<<4 | 1111 = 0x8F.
    expect(Buffer.from(encodeAccessBits([[1, 1, 0], [1, 1, 0], [1, 1, 0], [0, 1, 1]])).toString('hex')).toBe('08778f');
  });
  it('all blocks (1,1,1) give 00 F0 FF', () => {
    // C1 = C2 = C3 = 1111: byte6 = 0x00, byte7 = 0xF0 | 0x0 = 0xF0, byte8 = 0xFF.
    expect(Buffer.from(encodeAccessBits([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]])).toString('hex')).toBe('00f0ff');
  });
  it('refuses anything but four triples of 0/1 with INVALID_ACCESS_BITS', () => {
    const bad: unknown[] = [
      [[1, 0, 0], [1, 0, 0], [1, 0, 0]],
      [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 2]],
      [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1]],
      [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0]],
      [[1, 0, 0], [1, 0, 0], [1, 0, 0], [true, 1, 1]],
      'nonsense',
    ];
    for (const c of bad) expect(codeOf(() => encodeAccessBits(c as AccessConditions))).toBe('INVALID_ACCESS_BITS');
  });
});

describe('inverted-copy check, exhaustively', () => {
  const bit = fc.constantFrom<Bit>(0, 1);
  const cond = fc.tuple(bit, bit, bit);
  it('every one of the 8^4 condition sets round-trips and passes the check', () => {
    fc.assert(
      fc.property(fc.tuple(cond, cond, cond, cond), (c) => {
        const bytes = encodeAccessBits(c);
        expect(accessBitsValid(bytes)).toBe(true);
        expect(decodeAccessBits(bytes)).toEqual(c);
      }),
      { numRuns: 4096 },
    );
  });
  it('exactly 2^12 of the 2^24 byte triples are valid (12 free bits, 12 copies)', () => {
    let valid = 0;
    const b = new Uint8Array(3);
    for (let x = 0; x < 1 << 24; x++) {
      b[0] = x >> 16;
      b[1] = (x >> 8) & 0xff;
      b[2] = x & 0xff;
      if (accessBitsValid(b)) valid++;
    }
    expect(valid).toBe(4096);
  });
  it('any single flipped bit of valid bytes is caught', () => {
    const good = hex('787788');
    for (let i = 0; i < 24; i++) {
      const b = good.slice();
      b[i >> 3] ^= 1 << (i & 7);
      expect(codeOf(() => decodeAccessBits(b)), `bit ${i}`).toBe('INVALID_ACCESS_BITS');
    }
  });
});

describe('permissions (MF1S50yyX Table 8 data blocks, Table 7 trailer)', () => {
  const AB = { A: true, B: true };
  const A = { A: true, B: false };
  const B = { A: false, B: true };
  const NO = { A: false, B: false };
  it('HMSK data blocks (1,0,0): read with A or B, write with B only (spec section 3)', () => {
    expect(dataBlockPermissions(1, 0, 0)).toEqual({ read: AB, write: B, increment: NO, decrement: NO, application: 'read/write block' });
  });
  it('transport (0,0,0): everything with A or B; (1,1,1): nothing', () => {
    expect(dataBlockPermissions(0, 0, 0)).toMatchObject({ read: AB, write: AB, increment: AB, decrement: AB });
    expect(dataBlockPermissions(1, 1, 1)).toMatchObject({ read: NO, write: NO, increment: NO, decrement: NO });
  });
  it('value blocks: (1,1,0) increments with B, decrements with A|B; (0,0,1) only reads and decrements', () => {
    expect(dataBlockPermissions(1, 1, 0)).toMatchObject({ read: AB, write: B, increment: B, decrement: AB, application: 'value block' });
    expect(dataBlockPermissions(0, 0, 1)).toMatchObject({ read: AB, write: NO, increment: NO, decrement: AB, application: 'value block' });
  });
  it('(0,1,1) and (1,0,1) need key B to read', () => {
    expect(dataBlockPermissions(0, 1, 1)).toMatchObject({ read: B, write: B });
    expect(dataBlockPermissions(1, 0, 1)).toMatchObject({ read: B, write: NO });
  });
  it('footnote [1]: with a readable key B, key B grants nothing', () => {
    expect(dataBlockPermissions(0, 0, 0, true)).toMatchObject({ read: A, write: A, increment: A, decrement: A });
  });
  it('HMSK trailer (0,1,1): keys written with B, access bits read with A|B and written with B (spec section 3)', () => {
    expect(trailerPermissions(0, 1, 1)).toEqual({
      keyA: { read: NO, write: B },
      accessBits: { read: AB, write: B },
      keyB: { read: NO, write: B },
      keyBReadable: false,
    });
  });
  it('transport trailer (0,0,1): everything with key A, key B readable', () => {
    expect(trailerPermissions(0, 0, 1)).toEqual({
      keyA: { read: NO, write: A },
      accessBits: { read: A, write: A },
      keyB: { read: A, write: A },
      keyBReadable: true,
    });
  });
  it('key A is never readable, and (1,1,0) / (1,1,1) freeze the trailer', () => {
    for (let i = 0; i < 8; i++) expect(trailerPermissions(i >> 2, (i >> 1) & 1, i & 1).keyA.read).toEqual(NO);
    for (const c of [[1, 1, 0], [1, 1, 1]] as const) {
      const p = trailerPermissions(c[0], c[1], c[2]);
      expect([p.keyA.write, p.accessBits.write, p.keyB.write, p.keyB.read]).toEqual([NO, NO, NO, NO]);
      expect(p.accessBits.read).toEqual(AB);
    }
  });
  it('rows 000, 010, 001 are the readable-key-B rows (grey in Table 7)', () => {
    const readable = [];
    for (let i = 0; i < 8; i++) if (trailerPermissions(i >> 2, (i >> 1) & 1, i & 1).keyBReadable) readable.push(i.toString(2).padStart(3, '0'));
    expect(readable.sort()).toEqual(['000', '001', '010']);
  });
  it('rejects condition bits that are not 0 or 1', () => {
    expect(codeOf(() => dataBlockPermissions(2, 0, 0))).toBe('INVALID_ACCESS_BITS');
    expect(codeOf(() => trailerPermissions(0, 0, -1))).toBe('INVALID_ACCESS_BITS');
  });
});
