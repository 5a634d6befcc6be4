/**
 * `npm run bench [-- NAME...]`: runs every bench/cases/*.ts (or those whose file name or row names
 * contain a NAME), prints a table and merges the rows into bench/results.json: rows this run
 * produced replace rows of the same name, all other rows are kept (other case files' figures).
 *
 * Run with `node --expose-gc --import tsx bench/run.ts` (package.json "bench") so bytes/op is
 * measured; without --expose-gc that column is null.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatTable, runCase, type BenchCase, type BenchResult } from './harness.js';

const benchDir = resolve(import.meta.dirname);
const casesDir = join(benchDir, 'cases');
const resultsFile = join(benchDir, 'results.json');

interface ResultsFile {
  node: string;
  cpu: string;
  date: string;
  results: { name: string; medianNs: number; p99Ns: number; bytesPerOp: number | null; latency?: BenchResult['latency']; extra?: BenchResult['extra'] }[];
}

async function main(filters: string[]): Promise<number> {
  const files = readdirSync(casesDir).filter((f) => f.endsWith('.ts')).sort();
  const results: BenchResult[] = [];
  let failed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(casesDir, f)).href)) as { cases?: BenchCase[] };
    const wanted = (mod.cases ?? []).filter((c) => filters.length === 0 || filters.some((x) => f.includes(x) || c.name.includes(x)));
    for (const c of wanted) {
      try {
        const r = await runCase(c);
        results.push(r);
        process.stdout.write(`  ${r.name}: ${r.medianNs} ns/op${r.latency ? ` (single ops, ${r.latency.runs ?? 1} runs of ${r.latency.ops}; p99.9 of the ${r.latency.cleanRuns ?? '?'} clean runs ${r.latency.cleanP999Ns ?? '-'} ns; median run: p50 ${r.latency.p50Ns}, p99 ${r.latency.p99Ns}, p99.9 ${r.latency.p999Ns} ns; p99.9 of each run ${r.latency.p999RunsNs?.join(', ') ?? '-'} ns, of a no-op in the same loop ${r.latency.controlP999RunsNs?.join(', ') ?? '-'} ns, involuntary context switches ${r.latency.contextSwitchesPerRun?.join(', ') ?? '-'}; clock ${r.latency.clockNs ?? '?'} ns subtracted)` : ''}${r.extra ? ` ${JSON.stringify(r.extra)}` : ''}\n`);
      } catch (e) {
        failed++;
        process.stderr.write(`${f}: ${c.name}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
  process.stdout.write(`\n${formatTable(results)}\n`);

  const old: ResultsFile | undefined = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
  const mine = new Set(results.map((r) => r.name));
  const kept = (old?.results ?? []).filter((r) => !mine.has(r.name));
  const out: ResultsFile = {
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores)`,
    date: new Date().toISOString(),
    results: [...kept, ...results.map(({ name, medianNs, p99Ns, bytesPerOp, latency, extra }) => ({ name, medianNs, p99Ns, bytesPerOp, ...(latency ? { latency } : {}), ...extra }))].sort((a, b) => a.name.localeCompare(b.name)),
  };
  writeFileSync(resultsFile, JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`wrote ${resultsFile} (${results.length} rows from this run, ${kept.length} kept)\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
