/**
 * Bytes allocated per op of the bench rows named on the command line, measured as the bench
 * measures them (harness.ts bytesPerOp: a fixed 64 MiB young generation, gc() before each chunk,
 * heapUsed deltas, the smallest of 15 chunks). Prints one JSON object, row name -> bytes/op.
 *
 * Run by test/integration/gate/alloc-hot-paths.test.ts in a child process with the flags of `npm run bench`
 * (node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 --import tsx), so the zero
 * allocation of the decode and decision fast paths is asserted, not only printed.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytesPerOp, type BenchCase } from './harness.js';

const wanted = process.argv.slice(2);
const casesDir = join(resolve(import.meta.dirname), 'cases');
const out: Record<string, number | null> = {};
for (const f of readdirSync(casesDir).filter((x) => x.endsWith('.ts'))) {
  const mod = (await import(pathToFileURL(join(casesDir, f)).href)) as { cases?: BenchCase[] };
  for (const c of mod.cases ?? []) {
    if (!wanted.includes(c.name)) continue;
    const state = c.setup ? await c.setup() : undefined;
    let r = c.fn(state);
    const isAsync = typeof (r as { then?: unknown })?.then === 'function';
    if (isAsync) r = await r;
    if (c.check(r, state) === false) throw new Error(`${c.name}: check failed`);
    // Warm the op up to its optimised code first: a cold op's feedback vectors and compiled code
    // land on the heap and are not what the op allocates. Async ops too (as `npm run bench` times
    // a row before measuring its bytes): with 3 000 taps of warm-up, a tap's figure varied by up
    // to 200 bytes from run to run as its promise callbacks were or were not optimised yet.
    if (isAsync) for (let i = 0; i < 500_000; i++) await c.fn(state);
    else for (let i = 0; i < 200_000; i++) c.fn(state);
    out[c.name] = await bytesPerOp(c, state, isAsync, isAsync ? 1000 : 10_000);
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
