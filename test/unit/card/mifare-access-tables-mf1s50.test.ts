/**
 * The whole of MF1S50yyX datasheet Table 7 (access conditions for the sector trailer) and Table 8
 * (access conditions for data blocks), row by row in the datasheet's order, against
 * trailerPermissions / dataBlockPermissions; and the Proxmark3 client's wording of each row
 * (client/src/mifare/mifare4.c, MFAccessConditions and MFAccessConditionsTrailer, indexed by
 * C1 C2 C3 as a binary number) against describeDataBlock / describeTrailer. The tables below are
 * typed from those documents, not from src/card/accessBits.ts (which indexes them differently).
 */
import { describe, expect, it } from 'vitest';
import { dataBlockPermissions, describeDataBlock, describeTrailer, trailerPermissions, type KeyRights } from '../../../src/card/accessBits.js';

const rights = (s: string): KeyRights => ({ A: s === 'key A' || s === 'key A|B', B: s === 'key B' || s === 'key A|B' });
const bits = (row: string) => [...row].map(Number) as [number, number, number];

// Table 7, columns: key A read, key A write, access bits read, access bits write, key B read, key B write.
const TABLE_7: [string, string[]][] = [
  ['000', ['never', 'key A', 'key A', 'never', 'key A', 'key A']],
  ['010', ['never', 'never', 'key A', 'never', 'key A', 'never']],
  ['100', ['never', 'key B', 'key A|B', 'never', 'never', 'key B']],
  ['110', ['never', 'never', 'key A|B', 'never', 'never', 'never']],
  ['001', ['never', 'key A', 'key A', 'key A', 'key A', 'key A']],
  ['011', ['never', 'key B', 'key A|B', 'key B', 'never', 'key B']],
  ['101', ['never', 'never', 'key A|B', 'key B', 'never', 'never']],
  ['111', ['never', 'never', 'key A|B', 'never', 'never', 'never']],
];

// Table 8, columns: read, write, increment, decrement/transfer/restore, application.
const TABLE_8: [string, string[]][] = [
  ['000', ['key A|B', 'key A|B', 'key A|B', 'key A|B', 'transport configuration']],
  ['010', ['key A|B', 'never', 'never', 'never', 'read/write block']],
  ['100', ['key A|B', 'key B', 'never', 'never', 'read/write block']],
  ['110', ['key A|B', 'key B', 'key B', 'key A|B', 'value block']],
  ['001', ['key A|B', 'never', 'never', 'key A|B', 'value block']],
  ['011', ['key B', 'key B', 'never', 'never', 'read/write block']],
  ['101', ['key B', 'never', 'never', 'never', 'read/write block']],
  ['111', ['never', 'never', 'never', 'never', 'read/write block']],
];

// Proxmark3 mifare4.c, index C1C2C3. Trailer row 000 is left out: Proxmark3 prints "read A by A"
// there, where Table 7 says key A is never readable (and describeTrailer follows the datasheet).
const PM3_DATA = [
  'read AB; write AB; increment AB; decrement transfer restore AB',
  'read AB; decrement transfer restore AB',
  'read AB',
  'read B; write B',
  'read AB; write B',
  'read B',
  'read AB; write B; increment B; decrement transfer restore AB',
  'none',
];
const PM3_TRAILER = [
  undefined,
  'write A by A; read/write ACCESS by A; read/write B by A',
  'read ACCESS by A; read B by A',
  'write A by B; read ACCESS by AB; write ACCESS by B; write B by B',
  'write A by B; read ACCESS by AB; write B by B',
  'read ACCESS by AB; write ACCESS by B',
  'read ACCESS by AB',
  'read ACCESS by AB',
];

describe('MF1S50yyX Table 7: the sector trailer', () => {
  for (const [row, [aRead, aWrite, acRead, acWrite, bRead, bWrite]] of TABLE_7) {
    it(`C1 C2 C3 = ${row}`, () => {
      const p = trailerPermissions(...bits(row));
      expect(p.keyA).toEqual({ read: rights(aRead), write: rights(aWrite) });
      expect(p.accessBits).toEqual({ read: rights(acRead), write: rights(acWrite) });
      expect(p.keyB).toEqual({ read: rights(bRead), write: rights(bWrite) });
      // "Key B may be read" rows: key B then cannot serve for authentication (footnote [1]).
      expect(p.keyBReadable).toBe(bRead !== 'never');
    });
  }
});

describe('MF1S50yyX Table 8: data blocks', () => {
  for (const [row, [read, write, inc, dec, application]] of TABLE_8) {
    it(`C1 C2 C3 = ${row}`, () => {
      expect(dataBlockPermissions(...bits(row))).toEqual({ read: rights(read), write: rights(write), increment: rights(inc), decrement: rights(dec), application });
      // Footnote [1]: with key B readable in the trailer, key B grants nothing; key A keeps its rights.
      const withReadableB = dataBlockPermissions(...bits(row), true);
      for (const k of ['read', 'write', 'increment', 'decrement'] as const) expect(withReadableB[k]).toEqual({ A: rights([read, write, inc, dec][['read', 'write', 'increment', 'decrement'].indexOf(k)]).A, B: false });
    });
  }
});

describe('the Proxmark3 wording of each row', () => {
  for (let i = 0; i < 8; i++) {
    const c = [i >> 2, (i >> 1) & 1, i & 1] as const;
    it(`C1 C2 C3 = ${c.join('')}`, () => {
      expect(describeDataBlock(...c)).toBe(PM3_DATA[i]);
      if (PM3_TRAILER[i]) expect(describeTrailer(...c)).toBe(PM3_TRAILER[i]);
    });
  }
  it('row 000 of the trailer, as the datasheet has it: key A written by A, never read', () => {
    expect(describeTrailer(0, 0, 0)).toBe('write A by A; read ACCESS by A; read/write B by A');
  });
});
