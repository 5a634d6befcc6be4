/**
 * The benchmark harness shared by bench/cases/*.ts (STYLE.md "Benchmarks"). Timing is mitata's
 * `measure` (its generated, unrolled loops time batches of ops of a few nanoseconds without the
 * cost of a clock call per op); around it this file adds what mitata does not do: checking the
 * benchmarked output before and after timing, and bytes allocated per op measured as README
 * "Measuring allocation" explains (a fixed semi-space, gc() before each chunk, heapUsed deltas).
 */
import { measure } from 'mitata';
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
  /**
   * Also time this many single ops one by one, in several runs (singleOpLatency: one clock read per
   * op, the clock's own cost subtracted) and report their p50/p99/p99.9: the latency of one
   * decision, which batch averages hide (a slow op in a batch of 4096 barely moves the batch's
   * mean). Synchronous fns only.
   */
  latencyOps?: number;
  /** false: no bytes/op (ops that allocate far more than a semi-space, e.g. loading a file). */
  measureAlloc?: boolean;
  /** Options passed to mitata's measure (e.g. min_samples for ops of hundreds of milliseconds). */
  mitata?: { min_samples?: number; min_cpu_time?: number };
  /** Further figures for the row in results.json (runs once, after the timing). */
  extra?: (state: S) => Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Percentiles of single-op times, ns. */
export interface LatencyResult {
  /** Ops per run. */
  ops: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
  /** Runs (the percentiles above are the median run's, by p99.9). */
  runs?: number;
  /** The p99.9 of each run, in run order: the spread. */
  p999RunsNs?: number[];
  /** The clock read subtracted from every sample. */
  clockNs?: number;
  /** The p99.9 of the same loop around a no-op, one per run, just before it: the machine's share. */
  controlP999RunsNs?: number[];
  /** Involuntary context switches of this thread in each run (another process took the core). */
  contextSwitchesPerRun?: number[];
  /** Runs whose control stayed under CLEAN_CONTROL_NS, and the median p99.9 of those runs. */
  cleanRuns?: number;
  cleanP999Ns?: number | null;
}

export interface BenchResult {
  name: string;
  medianNs: number;
  p99Ns: number;
  /** Heap bytes allocated per op, or null without --expose-gc. */
  bytesPerOp: number | null;
  ops: number;
  latency?: LatencyResult;
  extra?: Record<string, unknown>;
}

export interface BenchOptions {
  /** Timed CPU time per case, ms (mitata's min_cpu_time). */
  timeMs?: number;
}

/** Results stay reachable so the JIT cannot drop the work (or its allocations) as dead code. */
let sink: unknown;

async function runOnce<S>(c: BenchCase<S>, state: S, isAsync: boolean): Promise<unknown> {
  const r = c.fn(state);
  return isAsync ? await r : r;
}

/** Runs `n` ops (the allocation measurement; mitata does the timing). */
async function batch<S>(c: BenchCase<S>, state: S, n: number, isAsync: boolean): Promise<void> {
  if (isAsync) for (let i = 0; i < n; i++) sink = await c.fn(state);
  else for (let i = 0; i < n; i++) sink = c.fn(state);
}

function verify<S>(c: BenchCase<S>, result: unknown, state: S): void {
  if (c.check(result, state) === false) throw new Error(`${c.name}: check failed on the benchmarked output`);
}

/**
 * Heap bytes per op. Run under a fixed, large semi-space (package.json "bench":
 * --min-semi-space-size=64 --max-semi-space-size=64, in MiB): after gc() the young generation is
 * empty and a chunk of ops allocating less than 64 MiB never triggers a scavenge, so heapUsed after
 * the chunk minus heapUsed before it is exactly what the ops allocated (V8 allocates new objects by
 * bumping a pointer in new space). The cost of the measurement itself (memoryUsage() returns an
 * object) is measured on an empty chunk and subtracted; the smallest of 15 chunks is reported. A
 * chunk whose delta is negative had a scavenge after all (an op allocating > 64 MiB / chunk) and is
 * skipped.
 */
export async function bytesPerOp<S>(c: BenchCase<S>, state: S, isAsync: boolean, chunk: number): Promise<number | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return null;
  const heapDelta = async (ops: number): Promise<number> => {
    gc();
    const h0 = process.memoryUsage().heapUsed;
    await batch(c, state, ops, isAsync);
    return process.memoryUsage().heapUsed - h0;
  };
  // Warm-up chunks first: the first runs of this loop get compiled (code and feedback objects land
  // on the heap) and are not the op's allocation.
  for (let k = 0; k < 3; k++) await heapDelta(chunk);
  const base: number[] = [];
  for (let k = 0; k < 9; k++) base.push(await heapDelta(0));
  base.sort((a, b) => a - b);
  const per: number[] = [];
  for (let k = 0; k < 15; k++) {
    const d = (await heapDelta(chunk)) - base[4];
    if (d > -4096) per.push(Math.max(0, d) / chunk);
  }
  if (per.length === 0) return null;
  // The smallest chunk, not the median: the op allocates the same in every chunk (each chunk cycles
  // through the same inputs), while the engine's own background work (optimising compilers, the
  // sweeper) only ever adds to a chunk's delta.
  const m = Math.min(...per);
  // Below one word per op is measurement noise (a stray allocation inside the chunk), not the op.
  return m < 8 ? Math.round(m * 10) / 10 : Math.round(m);
}

/**
 * Single-op latencies over LATENCY_RUNS runs (issue 14 item 6). One clock read per op: each sample
 * is the time from the previous op's end to this op's end (the op, the loop, one performance.now()),
 * and the clock's own cost (median of 10 000 reads around a no-op) is subtracted, so the timer does
 * not dominate an op of ~100 ns. Before each run, a control: the same loop around a no-op. A p99.9
 * there is not the op's: page faults of a young generation not yet touched (14-20 µs each, fixed
 * below), or another process on the core (context switches counted per run). The runs whose
 * control stayed under 1 µs are the clean ones; their median p99.9 is the op's figure, and every
 * run's p99.9 is printed as the spread.
 */
const LATENCY_RUNS = 10;
/** A run counts as clean when the no-op control's p99.9 in it stays under this (ns). */
const CLEAN_CONTROL_NS = 1000;

/** Times `n` calls of fn into t (ms per sample, the clock's cost not yet subtracted). */
function timeLoop<S>(fn: (s: S) => unknown, state: S, n: number, t: Float64Array): void {
  const now = performance.now.bind(performance);
  let prev = now();
  for (let i = 0; i < n; i++) {
    sink = fn(state);
    const t1 = now();
    t[i] = t1 - prev;
    prev = t1;
  }
}

function percentiles(t: Float64Array, n: number, clock: number): LatencyResult {
  const sorted = t.subarray(0, n).sort();
  const ns = (ms: number) => Math.max(0, Math.round((ms - clock) * 1e6));
  const at = (p: number) => ns(sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]);
  return { ops: n, p50Ns: at(50), p99Ns: at(99), p999Ns: at(99.9), maxNs: ns(sorted[n - 1]) };
}

const noop = (): number => 0;

async function singleOpLatency<S>(c: BenchCase<S>, state: S, total: number): Promise<LatencyResult> {
  const n = Math.ceil(total / LATENCY_RUNS);
  // The allocation measurement just before called gc() 27 times: let V8's background sweeping and
  // compiling finish (on 2 cores they take the CPU from the timed thread), and run the loop once
  // untimed so that it is compiled before it is timed.
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 300));
  // Touch every page of the young generation first. Under the bench's fixed 64 MiB semi-space,
  // fresh pages are faulted in by the kernel as allocation first reaches them (the clock's result
  // is a heap number per read): one fault of ~15 µs every 4 KiB put the no-op control's own p99.9
  // at 14-20 µs with the machine idle. Two semi-spaces' worth of short-lived objects fault them all.
  let o: unknown;
  for (let i = 0; i < 8_000_000; i++) o = { i };
  sink = o;
  const t = new Float64Array(Math.max(n, 10_000));
  timeLoop(noop, state, 10_000, t);
  const clock = percentiles(t, 10_000, 0).p50Ns / 1e6;
  timeLoop(c.fn, state, Math.min(n, 200_000), t);
  const runs: LatencyResult[] = [];
  const control: number[] = [];
  const switches: number[] = [];
  for (let r = 0; r < LATENCY_RUNS; r++) {
    // Control: the same loop around an op that does nothing. A p99.9 there is the machine's
    // (another process on the core, an interrupt), not the op's.
    timeLoop(noop, state, n, t);
    control.push(percentiles(t, n, clock).p999Ns);
    const cs0 = process.resourceUsage().involuntaryContextSwitches;
    timeLoop(c.fn, state, n, t);
    switches.push(process.resourceUsage().involuntaryContextSwitches - cs0);
    runs.push(percentiles(t, n, clock));
  }
  const median = [...runs].sort((a, b) => a.p999Ns - b.p999Ns)[LATENCY_RUNS >> 1];
  const clean = runs.filter((_, i) => control[i] < CLEAN_CONTROL_NS).map((x) => x.p999Ns).sort((a, b) => a - b);
  return {
    ...median,
    cleanRuns: clean.length,
    cleanP999Ns: clean.length > 0 ? clean[clean.length >> 1] : null,
    runs: LATENCY_RUNS,
    clockNs: Math.round(clock * 1e6),
    p999RunsNs: runs.map((x) => x.p999Ns),
    controlP999RunsNs: control,
    contextSwitchesPerRun: switches,
    maxNs: Math.max(...runs.map((x) => x.maxNs)),
  };
}

export async function runCase<S>(c: BenchCase<S>, opts: BenchOptions = {}): Promise<BenchResult> {
  const timeMs = opts.timeMs ?? 1000;
  const state = (c.setup ? await c.setup() : undefined) as S;
  let first = c.fn(state);
  const isAsync = typeof (first as { then?: unknown })?.then === 'function';
  verify(c, isAsync ? await first : first, state);
  first = undefined; // not kept alive through the timing and the memory figures

  // The result goes to a module variable, so the JIT can neither drop the op as dead code nor
  // escape-analyse its allocations away; mitata awaits it when it is a promise.
  const stats = await measure(() => (sink = c.fn(state)), { min_cpu_time: timeMs * 1e6, ...c.mitata });
  verify(c, await runOnce(c, state, isAsync), state);
  // Chunks as long as about 1 ms of ops (at least 10, at most 10 000 ops).
  const chunk = Math.max(10, Math.min(10_000, Math.round(1e6 / Math.max(1, stats.p50))));
  const bytes = c.measureAlloc === false ? null : await bytesPerOp(c, state, isAsync, chunk);
  const latency = c.latencyOps && !isAsync ? await singleOpLatency(c, state, c.latencyOps) : undefined;
  if (latency) verify(c, c.fn(state), state);
  sink = undefined;
  const extra = c.extra ? await c.extra(state) : undefined;
  const round = (x: number) => (x < 100 ? Math.round(x * 10) / 10 : Math.round(x));
  return { name: c.name, medianNs: round(stats.p50), p99Ns: round(stats.p99), bytesPerOp: bytes, ops: stats.ticks, ...(latency ? { latency } : {}), ...(extra ? { extra } : {}) };
}

/** The table run.ts prints. */
export function formatTable(results: BenchResult[]): string {
  const rows = [['case', 'median ns/op', 'p99 ns/op', 'ops/s', 'bytes/op', 'one op p50/p99/p99.9 ns', 'p99.9 of each run']];
  for (const r of results)
    rows.push([
      r.name,
      String(r.medianNs),
      String(r.p99Ns),
      Math.round(1e9 / r.medianNs).toLocaleString('en-US'),
      r.bytesPerOp === null ? '-' : String(r.bytesPerOp),
      r.latency ? `${r.latency.p50Ns}/${r.latency.p99Ns}/${r.latency.p999Ns}` : '-',
      r.latency?.p999RunsNs ? `${r.latency.runs} runs of ${r.latency.ops}: ${r.latency.p999RunsNs.join(' ')}` : '-',
    ]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join('  ')).join('\n');
}

void sink;
