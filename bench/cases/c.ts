/**
 * The C decoder (firmware-bridge/) against the TypeScript fast path on the same inputs: the 64
 * records of bench/cases/decode.ts (gate-block/fast, record/fast), and a gate decision against a
 * 1 000 000-entry hot list (1 + i*999983, plus every 8th bench card) at a fixed instant.
 *
 * The C rows (gate-block/c, record/c, decision-1m/c) are timed inside the native program
 * firmware-bridge/build/hmsk_bench (the harness cannot time a function across a process), with the
 * harness's method: warm-up, ~0.2 ms batches, median and p99 of ~1 s; bytes/op is 0 by construction
 * (the library never allocates). They reach bench/results.json through `cRows()`:
 *   node --import tsx bench/cases/c.ts        (runs the C bench and merges its rows)
 * `cases` holds the TypeScript twin of the decision row (bisection over a sorted Float64Array, like
 * the C hot list), so the ratio is like for like; run.ts times it with the other cases.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchCase } from '../harness.js';
import { cases as decodeCases } from './decode.js';
import { ALL_ISSUES, NOT_LISTED, REASONS, compilePolicy, decideGate, decideGateFast, type HotlistLookup } from '../../src/codec/gateDecision.js';
import { newFastGateBlock } from '../../src/codec/fastGate.js';
import { OsloCalendar } from '../../src/codec/osloCalendar.js';

const HOT = 1_000_000;
const STEP = 999_983;
const NOW_MS = Date.parse('2027-01-01T12:00:00Z');
const FIRMWARE = resolve(import.meta.dirname, '../../firmware-bridge');

interface Inputs {
  records: Uint8Array[];
  cards: number[];
}

async function inputs(): Promise<Inputs> {
  const s = (await decodeCases[0].setup!()) as { records: Uint8Array[]; hs: { cardNumberValue: number }[] };
  return { records: s.records, cards: s.hs.map((h) => h.cardNumberValue) };
}

/** A hot list shaped like the C one: sorted card numbers, bisection. */
function sortedHotlist(cards: number[]): HotlistLookup {
  const all = new Float64Array(HOT + Math.ceil(cards.length / 8));
  for (let i = 0; i < HOT; i++) all[i] = 1 + i * STEP;
  for (let i = 0, k = HOT; i < cards.length; i += 8) all[k++] = cards[i];
  all.sort();
  return {
    minIssueOf(n: number): number {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (all[mid] < n) lo = mid + 1;
        else hi = mid;
      }
      return lo < all.length && all[lo] === n ? ALL_ISSUES : NOT_LISTED;
    },
  };
}

interface DecisionState extends Inputs {
  /** Record bytes 0-15: the gate block, as a gate reads it (and as the C bench decides on). */
  gates: Uint8Array[];
  hot: HotlistLookup;
  expected: number[];
  i: number;
  k: number;
}
const policy = compilePolicy({});
const calendar = new OsloCalendar();
const out = { fields: newFastGateBlock(), status: 0 };

export const cases: BenchCase<DecisionState>[] = [
  {
    name: 'decision-1m/ts-bisect',
    setup: async () => {
      const inp = await inputs();
      const hot = sortedHotlist(inp.cards);
      const expected = inp.records.map((r) => REASONS.indexOf(decideGate(r.subarray(0, 16), NOW_MS, hot, {}).reason));
      return { ...inp, gates: inp.records.map((r) => r.slice(0, 16)), hot, expected, i: 0, k: 0 };
    },
    fn: (s) => decideGateFast(s.gates[(s.k = s.i++ & 63)], NOW_MS, s.hot, policy, calendar, out),
    check: (reason: number, s) => reason === s.expected[s.k],
  },
];

export interface CRow {
  name: string;
  medianNs: number;
  p99Ns: number;
  bytesPerOp: number;
}

/** Builds and runs firmware-bridge/build/hmsk_bench on the shared inputs; returns its rows. */
export async function cRows(): Promise<CRow[]> {
  const inp = await inputs();
  const hot = sortedHotlist(inp.cards);
  const lines = inp.records.map((r, i) => `record ${Buffer.from(r).toString('hex')} ${inp.cards[i]} ${decideGate(r.subarray(0, 16), NOW_MS, hot, {}).reason}`);
  lines.push(`now ${NOW_MS / 1000}`, `hot ${HOT}`);
  execFileSync('make', ['-s', '-C', FIRMWARE, 'build/hmsk_bench'], { stdio: 'inherit' });
  const text = execFileSync(resolve(FIRMWARE, 'build/hmsk_bench'), { input: lines.join('\n') + '\n' }).toString();
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { name: string; medianNs: number; p99Ns: number })
    .map(({ name, medianNs, p99Ns }) => ({ name, medianNs, p99Ns, bytesPerOp: 0 }));
}

/** Script mode: run the C bench and merge its rows into bench/results.json (others are kept). */
async function mergeIntoResults(): Promise<void> {
  const rows = await cRows();
  const file = resolve(import.meta.dirname, '../results.json');
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { results: [] };
  const names = new Set(rows.map((r) => r.name));
  old.results = [...old.results.filter((r: CRow) => !names.has(r.name)), ...rows].sort((a: CRow, b: CRow) => a.name.localeCompare(b.name));
  writeFileSync(file, JSON.stringify(old, null, 2) + '\n');
  for (const r of rows) process.stdout.write(`  ${r.name}: ${r.medianNs} ns/op (p99 ${r.p99Ns})\n`);
}
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  mergeIntoResults().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
