/**
 * A tiny benchmark harness shared by bench/cases/*.ts (STYLE.md "Benchmarks"): check the output,
 * warm up, time batches, report the median and the 99th percentile of the per-op time of the
 * batches, and the heap bytes allocated per op (when node runs with --expose-gc).
 *
 * Why batches: one op of the gate decode takes tens of nanoseconds, below the resolution and the
 * cost of a hrtime call, so each sample times a batch of ops sized to take about 0.2 ms.
 */
import { performance } from 'node:perf_hooks';

export interface BenchCase<S = any> {
  /** Row name, `<case>/<path>`, e.g. `gate-block/fast`. */
  name: string;
  /** Builds the input once (not timed). */
  setup?: () => S | Promise<S>;
  /** One operation. May return a promise; then ops are awaited one after the other. */
  fn: (state: S) => unknown;
  /** Verifies one result of fn (throw, or return false, when it is wrong). Runs before and after timing. */
  check: (result: any, state: S) => void | boolean;
}

export interface BenchResult {
  name: string;
  medianNs: number;
  p99Ns: number;
  /** Heap bytes allocated per op, or null without --expose-gc. */
  bytesPerOp: number | null;
  ops: number;
}

export interface BenchOptions {
  /** Timed wall time per case, ms. */
  timeMs?: number;
  /** Warm-up wall time per case, ms. */
  warmupMs?: number;
  /** Target duration of one batch, ms. */
  batchMs?: number;
}

/** Results stay reachable so the JIT cannot drop the work (or its allocations) as dead code. */
let sink: unknown;
export function keep(x: unknown): void {
  sink = x;
}

async function runOnce<S>(c: BenchCase<S>, state: S, isAsync: boolean): Promise<unknown> {
  const r = c.fn(state);
  return isAsync ? await r : r;
}

/** Runs `n` ops; returns elapsed ns. */
async function batch<S>(c: BenchCase<S>, state: S, n: number, isAsync: boolean): Promise<number> {
  const t0 = performance.now();
  if (isAsync) for (let i = 0; i < n; i++) sink = await c.fn(state);
  else for (let i = 0; i < n; i++) sink = c.fn(state);
  return (performance.now() - t0) * 1e6;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

function verify<S>(c: BenchCase<S>, result: unknown, state: S): void {
  if (c.check(result, state) === false) throw new Error(`${c.name}: check failed on the benchmarked output`);
}

/**
 * Heap bytes per op: heapUsed before and after chunks of ops, after a full GC; a chunk during which
 * a scavenge ran shows a drop and is skipped; the median of the remaining chunks is taken.
 */
async function bytesPerOp<S>(c: BenchCase<S>, state: S, isAsync: boolean): Promise<number | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return null;
  const chunk = 200;
  // The measurement itself allocates (memoryUsage() returns an object): measured on 0 ops, subtracted.
  const heapDelta = async (ops: number): Promise<number> => {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    await batch(c, state, ops, isAsync);
    return process.memoryUsage().heapUsed - h0;
  };
  const base: number[] = [];
  for (let k = 0; k < 9; k++) base.push(await heapDelta(0));
  base.sort((a, b) => a - b);
  const per: number[] = [];
  for (let k = 0; k < 30; k++) {
    const d = (await heapDelta(chunk)) - base[4];
    // A scavenge during the chunk frees far more than measurement noise: skip such chunks.
    if (d > -4096) per.push(Math.max(0, d) / chunk);
  }
  if (per.length === 0) return null;
  per.sort((a, b) => a - b);
  return Math.round(percentile(per, 50));
}

export async function runCase<S>(c: BenchCase<S>, opts: BenchOptions = {}): Promise<BenchResult> {
  const timeMs = opts.timeMs ?? 1000;
  const warmupMs = opts.warmupMs ?? 300;
  const batchMs = opts.batchMs ?? 0.2;
  const state = (c.setup ? await c.setup() : undefined) as S;
  const first = c.fn(state);
  const isAsync = typeof (first as { then?: unknown })?.then === 'function';
  verify(c, isAsync ? await first : first, state);

  // Warm up (lets the JIT optimise), and find a batch size that takes about batchMs.
  let n = 1;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd) {
    const ns = await batch(c, state, n, isAsync);
    if (ns < batchMs * 1e6 && n < 1 << 24) n *= 2;
  }

  const perOp: number[] = [];
  const end = performance.now() + timeMs;
  let ops = 0;
  while (performance.now() < end || perOp.length < 20) {
    perOp.push((await batch(c, state, n, isAsync)) / n);
    ops += n;
  }
  verify(c, await runOnce(c, state, isAsync), state);
  const bytes = await bytesPerOp(c, state, isAsync);
  keep(undefined);
  perOp.sort((a, b) => a - b);
  const round = (x: number) => (x < 100 ? Math.round(x * 10) / 10 : Math.round(x));
  return { name: c.name, medianNs: round(percentile(perOp, 50)), p99Ns: round(percentile(perOp, 99)), bytesPerOp: bytes, ops };
}

/** The table run.ts prints. */
export function formatTable(results: BenchResult[]): string {
  const rows = [['case', 'median ns/op', 'p99 ns/op', 'ops/s', 'bytes/op']];
  for (const r of results)
    rows.push([r.name, String(r.medianNs), String(r.p99Ns), Math.round(1e9 / r.medianNs).toLocaleString('en-US'), r.bytesPerOp === null ? '-' : String(r.bytesPerOp)]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ')).join('\n');
}

void sink;
