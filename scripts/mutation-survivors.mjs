#!/usr/bin/env node
/**
 * Lists what a Stryker run left alive, from its JSON report (mutation-testing-report-schema:
 * files -> mutants with status, location, mutatorName, replacement), for triage
 * (docs/mutation.md).
 *
 *   node scripts/mutation-survivors.mjs [reports/mutation/mutation.json] [--table] [--file SUBSTRING]
 *
 * --table prints only the per-file score table (worst first); otherwise every Survived and
 * NoCoverage mutant is printed as `file:line:col status [static] mutator: original -> replacement`.
 * "static" marks a mutant in module-level code (a table, a regex constant): under --ignoreStatic
 * Stryker still runs the ones a test also covers, but without reloading the module, so the mutant
 * is never active and "Survived" says nothing; check those by hand or in a run without
 * --ignoreStatic.
 * The score is Stryker's: (killed + timeout) / (valid mutants), where valid excludes compile errors
 * and ignored mutants.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { table: { type: 'boolean' }, file: { type: 'string' } } });
const table = values.table ?? false;
const only = values.file;
const path = positionals[0] ?? 'reports/mutation/mutation.json';
const report = JSON.parse(readFileSync(path, 'utf8'));

const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const rows = [];
for (const [file, { mutants, source }] of Object.entries(report.files)) {
  if (only && !file.includes(only)) continue;
  const valid = mutants.filter((m) => DETECTED.has(m.status) || UNDETECTED.has(m.status));
  const detected = valid.filter((m) => DETECTED.has(m.status)).length;
  const survived = valid.filter((m) => m.status === 'Survived').length;
  const noCov = valid.filter((m) => m.status === 'NoCoverage').length;
  rows.push({ file, valid: valid.length, detected, survived, noCov, score: valid.length ? (100 * detected) / valid.length : 100 });
  if (table) continue;
  const lines = source.split('\n');
  const left = mutants.filter((m) => UNDETECTED.has(m.status)).sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of left) {
    const { start, end } = m.location;
    const original =
      start.line === end.line
        ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
        : lines[start.line - 1].slice(start.column - 1) + ' ...';
    const short = (s) => (s.length > 90 ? s.slice(0, 87) + '...' : s).replace(/\s+/g, ' ');
    console.log(`${file}:${start.line}:${start.column} ${m.status}${m.static ? ' static' : ''} ${m.mutatorName}: ${short(original)} -> ${short(m.replacement ?? '')}`);
  }
}

rows.sort((a, b) => a.score - b.score);
const total = rows.reduce((t, r) => ({ valid: t.valid + r.valid, detected: t.detected + r.detected, survived: t.survived + r.survived, noCov: t.noCov + r.noCov }), { valid: 0, detected: 0, survived: 0, noCov: 0 });
console.log(`\n| file | mutants | survived | no coverage | score |\n| --- | --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.file} | ${r.valid} | ${r.survived} | ${r.noCov} | ${r.score.toFixed(1)} % |`);
const score = total.valid ? ((100 * total.detected) / total.valid).toFixed(1) : '100.0';
console.log(`| all ${rows.length} files | ${total.valid} | ${total.survived} | ${total.noCov} | ${score} % |`);
