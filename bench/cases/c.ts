/**
 * The C decoder (firmware-bridge/) against the TypeScript fast path on the same inputs: the 64
 * records of bench/cases/decode.ts (gate-block/fast, record/fast), and the 4096 gate blocks, the
 * 1 000 512-entry hot list, the policy and the instant of bench/cases/gate.ts (decision-1m/fast).
 *
 * The C rows (gate-block/c, record/c, decision-1m/c) are timed inside the native program
 * firmware-bridge/build/hmsk_bench (the harness cannot time a function across a process), with the
 * harness's method: warm-up, ~0.2 ms batches, median and p99 of ~1 s; bytes/op is 0 by construction
 * (the library never allocates). They reach bench/results.json and bench/c-target.json through
 *   node --import tsx bench/cases/c.ts        (ROUNDS=5 rounds of C rows and TypeScript twins)
 * which also records the library sizes per CRC mode and the Cortex-M3 figures (firmware-bridge/target/).
 * `cases` holds a second TypeScript twin of the decision row, bisection over a sorted Float64Array
 * like the C hot list, so the data structure is like for like too; run.ts times it with the others.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCase, type BenchCase } from '../harness.js';
import { cases as decodeCases } from './decode.js';
import { cases as gateCases } from './gate.js';
import { ALL_ISSUES, NOT_LISTED, REASONS, compilePolicy, decideGateFast, type GatePolicy, type HotlistLookup } from '../../src/codec/gateDecision.js';
import { newGateBlockOut } from '../../src/codec/gateBlockDecode.js';
import { OsloCalendar } from '../../src/codec/osloCalendar.js';

/** bench/cases/gate.ts's instant; hmsk_bench and the twin check every decision against its reasons. */
const NOW_MS = Date.parse('2045-06-01T10:00:00Z');
const FIRMWARE = resolve(import.meta.dirname, '../../firmware-bridge');

interface GateInputs {
  gates: Uint8Array[];
  expected: string[];
  policy: GatePolicy;
  cards: { cardNumber: string; minIssue?: number }[];
}
async function decisionInputs(): Promise<GateInputs> {
  const fast = gateCases.find((c) => c.name === 'decision-1m/fast')!;
  return ((await fast.setup!()) as { inp: GateInputs }).inp;
}
async function records(): Promise<{ records: Uint8Array[]; cards: number[] }> {
  const s = (await decodeCases[0].setup!()) as { records: Uint8Array[]; hs: { cardNumberValue: number }[] };
  return { records: s.records, cards: s.hs.map((h) => h.cardNumberValue) };
}

/** A hot list shaped like the C one: card numbers sorted, bisection, min issues alongside. */
function sortedHotlist(cards: GateInputs['cards']): HotlistLookup {
  const sorted = cards.map((c) => ({ n: +c.cardNumber, min: c.minIssue ?? ALL_ISSUES })).sort((a, b) => a.n - b.n);
  const all = Float64Array.from(sorted, (c) => c.n);
  const min = Int32Array.from(sorted, (c) => c.min);
  return {
    minIssueOf(n: number): number {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (all[mid] < n) lo = mid + 1;
        else hi = mid;
      }
      return lo < all.length && all[lo] === n ? min[lo] : NOT_LISTED;
    },
  };
}

interface DecisionState {
  gates: Uint8Array[];
  hot: HotlistLookup;
  policy: ReturnType<typeof compilePolicy>;
  expected: number[];
  i: number;
  k: number;
}
const calendar = new OsloCalendar();
const out = { fields: newGateBlockOut(), status: 0 };

export const cases: BenchCase<DecisionState>[] = [
  {
    name: 'decision-1m/ts-bisect',
    setup: async () => {
      const inp = await decisionInputs();
      return { gates: inp.gates, hot: sortedHotlist(inp.cards), policy: compilePolicy(inp.policy), expected: inp.expected.map((r) => REASONS.indexOf(r as never)), i: 0, k: 0 };
    },
    fn: (s) => decideGateFast(s.gates[(s.k = s.i++ & 4095)], NOW_MS, s.hot, s.policy, calendar, out),
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
  const rec = await records();
  const inp = await decisionInputs();
  if (inp.gates.length !== 4096 || inp.policy.allowedCategories?.join() !== 'construction,cleaning') throw new Error('bench/cases/gate.ts inputs changed: update cRows');
  const lines = rec.records.map((r, i) => `record ${Buffer.from(r).toString('hex')} ${rec.cards[i]}`);
  inp.gates.forEach((g, i) => lines.push(`gate ${Buffer.from(g).toString('hex')} ${inp.expected[i]}`));
  for (const c of inp.cards) lines.push(`hot ${c.cardNumber} ${c.minIssue ?? -1}`);
  for (const o of inp.policy.allowedOrgs ?? []) lines.push(`org ${+o}`);
  // hmsk_policy.category_mask: HMSK_POLICY_CATEGORIES (1) | 1 << construction (1) | 1 << cleaning (2).
  lines.push('categories 7', `now ${NOW_MS / 1000}`);
  execFileSync('make', ['-s', '-C', FIRMWARE, 'build/hmsk_bench'], { stdio: 'inherit' });
  const text = execFileSync(resolve(FIRMWARE, 'build/hmsk_bench'), { input: lines.join('\n') + '\n', maxBuffer: 1 << 20 }).toString();
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { name: string; medianNs: number; p99Ns: number })
    .map(({ name, medianNs, p99Ns }) => ({ name, medianNs, p99Ns, bytesPerOp: 0 }));
}

/** The TypeScript twin of each C row: the fast paths the C decoder must be at or below. */
const TWINS: Record<string, string> = { 'gate-block/c': 'gate-block/fast', 'record/c': 'record/fast', 'decision-1m/c': 'decision-1m/fast' };

interface Spread {
  medians: number[];
  min: number;
  median: number;
  max: number;
}
function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { medians: xs, min: s[0], median: s[(s.length - 1) >> 1], max: s[s.length - 1] };
}

/** The Cortex-M3 figures of `make target-test target-size` (firmware-bridge/target/), or why there are none. */
function targetFigures(): Record<string, unknown> {
  const out = execFileSync('make', ['-s', '-C', FIRMWARE, 'target-test', 'target-size'], { encoding: 'utf8', timeout: 600_000 });
  const dir = resolve(FIRMWARE, 'build/target');
  if (/SKIPPED/.test(out)) return { skipped: out.trim().split('\n')[0] };
  return {
    board: 'qemu-system-arm -machine mps2-an385 (Cortex-M3, 25 MHz), -icount shift=0: 1 guest instruction = 1 ns virtual',
    suite: JSON.parse(readFileSync(resolve(dir, 'figures.json'), 'utf8')),
    gateImage: JSON.parse(readFileSync(resolve(dir, 'sizes.json'), 'utf8')),
  };
}

/**
 * Script mode: ROUNDS (default 5) rounds of the C rows and their TypeScript twins, interleaved in
 * one process on this machine; writes bench/c-target.json (every round's median, the spread, the
 * worst-round ratio, the library sizes of `make size` and the Cortex-M3 figures) and merges the C
 * rows (median of the rounds) into bench/results.json.
 */
async function compareAndRecord(): Promise<void> {
  const rounds = Number(process.env.ROUNDS ?? 5);
  // Batch timing only: the twins' single-op latency and bytes/op belong to `npm run bench`.
  const twins: BenchCase[] = [...(decodeCases as BenchCase[]), ...gateCases, ...(cases as BenchCase[])]
    .filter((c) => Object.values(TWINS).includes(c.name) || c.name === 'decision-1m/ts-bisect')
    .map((c) => ({ ...c, latencyOps: undefined, measureAlloc: false }));
  const medians: Record<string, number[]> = {};
  const add = (name: string, ns: number) => (medians[name] ??= []).push(ns);
  let last: CRow[] = [];
  for (let r = 0; r < rounds; r++) {
    last = await cRows();
    for (const row of last) add(row.name, row.medianNs);
    for (const c of twins) add(c.name, (await runCase(c)).medianNs);
    process.stdout.write(`  round ${r + 1}/${rounds}: ${Object.entries(medians).map(([k, v]) => `${k} ${v[r]}`).join(', ')}\n`);
  }
  const rows = Object.fromEntries(Object.entries(medians).map(([k, v]) => [k, spread(v)]));
  const ratios = Object.fromEntries(
    Object.entries(TWINS).map(([c, ts]) => {
      const perRound = medians[c].map((x, i) => Math.round((x / medians[ts][i]) * 100) / 100);
      return [c, { twin: ts, cOverTsPerRound: perRound, worst: Math.max(...perRound), atOrBelow: perRound.every((x) => x <= 1) }];
    }),
  );
  const sizes = execFileSync('make', ['-s', '-C', FIRMWARE, 'size'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('size (-Os'))
    .map((l) => l.replace(/^size /, ''));
  const report = { date: new Date().toISOString(), cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores, shared)`, node: process.version, rounds, hostNsPerOp: rows, ratios, librarySizeBytes: sizes, cortexM3: targetFigures() };
  writeFileSync(resolve(import.meta.dirname, '../c-target.json'), JSON.stringify(report, null, 2) + '\n');
  for (const [c, r] of Object.entries(ratios)) process.stdout.write(`  ${c} / ${r.twin}: ${r.cOverTsPerRound.join(', ')} (worst ${r.worst})\n`);

  const file = resolve(import.meta.dirname, '../results.json');
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { results: [] };
  const merged = last.map((row) => ({ ...row, medianNs: rows[row.name].median, rounds, spreadNs: [rows[row.name].min, rows[row.name].max] }));
  const names = new Set(merged.map((r) => r.name));
  old.results = [...old.results.filter((r: CRow) => !names.has(r.name)), ...merged].sort((a: CRow, b: CRow) => a.name.localeCompare(b.name));
  writeFileSync(file, JSON.stringify(old, null, 2) + '\n');
}
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  compareAndRecord().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
