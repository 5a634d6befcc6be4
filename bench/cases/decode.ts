/**
 * Gate-block and record decode with verification (spec section 2) on every path: the hand-written
 * fast path (src/codec/gateBlockDecode.ts, recordDecode.ts, and the public decoders built on it), the
 * declarative @solana/buffer-layout reference (formats/record-layout.ts) and a naive string- and
 * object-based decoder (bench/naive/). Plus the CRC-16 over the 14 gate bytes: the fast path's
 * sliced table against the `crc` package (the figure quoted in src/codec/crcSliced.ts).
 *
 * Inputs: 64 different records, cycled, so no path is timed on one constant input. Every check
 * compares with the holder the record was encoded from.
 */
import type { BenchCase } from '../harness.js';
import crc16ccittCalc from 'crc/calculators/crc16ccitt';
import { decodeGateBlockInto, newGateBlockOut } from '../../src/codec/gateBlockDecode.js';
import { crc16Prefix } from '../../src/codec/crcSliced.js';
import { decodeRecordInto, newRecordOut } from '../../src/codec/recordDecode.js';
import type { ValidHolder } from '../../src/codec/holder.js';
import { decodeGateBlock, decodeRecord, encodeRecord } from '../../src/codec/record.js';
import { benchHolders } from '../holders.js';
import { decodeGateBlockLayout, decodeRecordLayout } from '../../formats/record-layout.js';
import { naiveDecodeGateBlock } from '../naive/gateBlock.js';
import { naiveDecodeRecord } from '../naive/record.js';

const N = 64;


interface State {
  hs: ValidHolder[];
  records: Uint8Array[];
  gates: Uint8Array[];
  i: number;
  k: number;
}

function setup(): State {
  const hs = benchHolders(N);
  const records = hs.map((h) => encodeRecord(h));
  return { hs, records, gates: records.map((r) => r.slice(0, 16)), i: 0, k: 0 };
}
const next = (s: State) => (s.k = s.i++ & (N - 1));

const gateOut = newGateBlockOut();
const recordOut = newRecordOut();

function sameGate(g: { category: string; cardNumber: string; orgNumber: string; expiry: string; issue: number }, h: ValidHolder): boolean {
  return g.category === h.category && g.cardNumber === h.cardNumber && g.orgNumber === h.orgNumber && g.expiry === h.expiry && g.issue === h.issue;
}
function sameRecord(r: Parameters<typeof sameGate>[0] & { givenName: string; familyName: string; orgName: string; birthDate: string; gender: string }, h: ValidHolder): boolean {
  return sameGate(r, h) && r.givenName === h.givenName && r.familyName === h.familyName && r.orgName === h.orgName && r.birthDate === h.birthDate && r.gender === h.gender;
}

export const cases: BenchCase<State>[] = [
  {
    name: 'gate-block/fast',
    setup,
    fn: (s) => decodeGateBlockInto(s.gates[next(s)], gateOut),
    check: (status: number, s) => status === 0 && gateOut.cardNumber === s.hs[s.k].cardNumberValue && gateOut.issue === s.hs[s.k].issue,
  },
  {
    name: 'gate-block/public',
    setup,
    fn: (s) => decodeGateBlock(s.gates[next(s)]),
    check: (g, s) => sameGate(g, s.hs[s.k]),
  },
  {
    name: 'gate-block/layout',
    setup,
    fn: (s) => decodeGateBlockLayout(s.gates[next(s)]),
    check: (g, s) => sameGate(g, s.hs[s.k]),
  },
  {
    name: 'gate-block/naive',
    setup,
    fn: (s) => naiveDecodeGateBlock(s.gates[next(s)]),
    check: (g, s) => sameGate(g, s.hs[s.k]),
  },
  {
    name: 'record/fast',
    setup,
    fn: (s) => decodeRecordInto(s.records[next(s)], recordOut),
    check: (status: number, s) => status === 0 && recordOut.cardNumber === s.hs[s.k].cardNumberValue && recordOut.givenLength === new TextEncoder().encode(s.hs[s.k].givenName).length,
  },
  {
    name: 'record/public',
    setup,
    fn: (s) => decodeRecord(s.records[next(s)]),
    check: (r, s) => sameRecord(r, s.hs[s.k]),
  },
  {
    name: 'record/layout',
    setup,
    fn: (s) => decodeRecordLayout(s.records[next(s)]),
    check: (r, s) => sameRecord(r, s.hs[s.k]),
  },
  {
    name: 'record/naive',
    setup,
    fn: (s) => naiveDecodeRecord(s.records[next(s)]),
    check: (r, s) => sameRecord(r, s.hs[s.k]),
  },
  {
    name: 'crc16-14-bytes/table',
    setup,
    fn: (s) => crc16Prefix(s.gates[next(s)], 14),
    check: (c: number, s) => c === ((s.gates[s.k][14] << 8) | s.gates[s.k][15]),
  },
  {
    name: 'crc16-14-bytes/crc-package',
    setup,
    fn: (s) => crc16ccittCalc(s.gates[next(s)].subarray(0, 14)) & 0xffff,
    check: (c: number, s) => c === ((s.gates[s.k][14] << 8) | s.gates[s.k][15]),
  },
];
