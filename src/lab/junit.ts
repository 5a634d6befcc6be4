/**
 * JUnit XML for lab results: the format CI servers and lab information systems read (one
 * <testcase> per card, a <failure> naming the failed checks).
 */
import type { LabResult } from './verify.js';
import { needString, needArray } from '../codec/guard.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

export function labJunitXml(results: readonly LabResult[], suite = 'hmskort lab verify', timestamp = new Date().toISOString()): string {
  needArray('labJunitXml', 'results', results);
  needString('labJunitXml', 'suite', suite);
  needString('labJunitXml', 'timestamp', timestamp);
  const failures = results.filter((r) => !r.pass).length;
  const time = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((a, r) => a + r.ms, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(suite)}" tests="${results.length}" failures="${failures}" time="${time(total)}">`,
    `  <testsuite name="${esc(suite)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${time(total)}" timestamp="${esc(timestamp)}">`,
  ];
  for (const r of results) {
    const name = `card ${r.uid}${r.vectorIds.length ? ` (${r.vectorIds.join(', ')})` : ''}`;
    lines.push(`    <testcase classname="hmskort.lab" name="${esc(name)}" time="${time(r.ms)}">`);
    if (!r.pass) {
      const failed = r.checks.filter((c) => !c.pass);
      lines.push(`      <failure message="${esc(failed.map((c) => c.name).join(', ') || 'failed')}">${esc(failed.map((c) => `${c.name}: ${c.detail ?? 'failed'}`).join('\n'))}</failure>`);
    }
    lines.push(`      <system-out>${esc(r.checks.map((c) => `${c.pass ? 'ok  ' : 'FAIL'} ${c.name}${c.detail ? `: ${c.detail}` : ''}`).join('\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
