/**
 * `hmskort vectors FILE_OR_DIR... [--kind KIND[,KIND...]] [--json]`: runs vector files of the
 * shared format (spec section 8) and ends with `N passed, M failed`.
 */
import { EXIT, UsageError } from '../command.js';
import { defineCommand } from '../declare.js';
import { expandJsonPaths, readJsonFile } from '../files.js';
import { kindOf } from '../exitStatus.js';
import { KINDS, parseVectorFile, runVectors, type VectorResult } from '../../vectors/runner.js';

const description = `Runs every vector of each file (a directory means every *.json in it) through the library, prints
each failing vector's id with the expected and the actual output, and ends with the line
"N passed, M failed". Exit status 1 if a vector failed or a file is not a vector file; 4 if a
file cannot be read.
Kinds: ${Object.keys(KINDS).join(', ')}.`;

export const command = defineCommand(
  { name: 'vectors', summary: 'run test-vector files (spec section 8) through the library' },
  {
    positionals: 'FILE_OR_DIR...',
    description,
    options: { kind: {}, json: {} },
    async run(values, positionals, ctx) {
      if (positionals.length === 0) throw new UsageError('name at least one vector file or directory');
      let kinds: Set<string> | undefined;
      if (values.kind) {
        kinds = new Set(values.kind.split(',').map((k) => k.trim()).filter(Boolean));
        for (const k of kinds) if (!KINDS[k]) throw new UsageError(`unknown kind "${k}"`);
      }
      let passed = 0;
      let failed = 0;
      let unreadable = 0;
      const report: Array<{ file: string; error?: string; results?: VectorResult[] }> = [];
      for (const file of await expandJsonPaths(positionals, ctx.cwd)) {
        let vectors;
        try {
          vectors = parseVectorFile(await readJsonFile(file, ctx.cwd), file);
        } catch (e) {
          // A file that cannot be read at all is an I/O error (exit 4, by its kind in main.ts); one
          // that is not a vector file is reported and counted, and the run goes on.
          if (kindOf(e) === 'device') throw e;
          unreadable++;
          report.push({ file, error: (e as Error).message });
          if (!values.json) ctx.stderr(`ERROR ${(e as Error).message}\n`);
          continue;
        }
        const sum = await runVectors(vectors, kinds);
        passed += sum.passed;
        failed += sum.failed;
        report.push({ file, results: sum.results });
        if (values.json) continue;
        for (const r of sum.results) {
          if (r.pass) continue;
          ctx.stdout(`FAIL ${file}: ${r.id} (${r.kind}): ${r.message ?? 'mismatch'}\n`);
          ctx.stdout(`  expected: ${JSON.stringify(r.expected)}\n  actual:   ${JSON.stringify(r.actual)}\n`);
        }
      }
      if (values.json) ctx.stdout(JSON.stringify({ passed, failed, unreadable, files: report }, null, 1) + '\n');
      else ctx.stdout(`${passed} passed, ${failed} failed\n`);
      return failed > 0 || unreadable > 0 ? EXIT.FAILED : EXIT.OK;
    },
  },
);
