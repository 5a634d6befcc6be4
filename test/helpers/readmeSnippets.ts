/**
 * The code blocks of a Markdown file, for the tests that run the README's snippets
 * (test/unit/project/readme-snippets.test.ts, test/integration/project/readme-sh.test.ts).
 * A block is skipped only when the line before its fence is `<!-- not run: REASON -->`.
 */

export interface Snippet {
  lang: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** The reason given by a `<!-- not run: REASON -->` line just before the fence. */
  notRun?: string;
}

export const RUN_LANGS = ['ts', 'js', 'sh'];
const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;

/** Every fenced block with a language; a `not run` marker that precedes no block is an error. */
export function snippets(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = NOT_RUN.exec(lines[i].trim());
    if (marker && !/^```\w+\s*$/.test(lines[i + 1] ?? '')) throw new Error(`line ${i + 1}: "not run" marker not directly before a code block`);
    const open = /^```(\w+)\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`line ${i + 1}: code block never closed`);
    const before = i > 0 ? NOT_RUN.exec(lines[i - 1].trim()) : null;
    out.push({ lang: open[1], line: i + 1, code: lines.slice(i + 1, end).join('\n') + '\n', notRun: before?.[1] });
    i = end;
  }
  return out;
}

/** The texts of `// prints: TEXT` comments: each must appear in what the snippet logs. */
export function expectedPrints(code: string): string[] {
  return [...code.matchAll(/\/\/ prints: (.+)$/gm)].map((m) => m[1].trim());
}
