/**
 * The import scanner of the layering tests (STYLE.md "Layers"): module specifiers read from the
 * TypeScript syntax tree (typescript's own parser, not a regular expression), so an import in a
 * comment or a string does not count and a type-only import can be told apart.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

export interface ImportOptions {
  /** Count `import type` / `export type` and `typeof import('x')` (default true). */
  types?: boolean;
  /** Count `import('x')` (default false: only what loads with the module). */
  dynamic?: boolean;
}

/** Every .ts file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The module specifiers `file` imports or re-exports, in source order. */
export function importsOf(file: string, { types = true, dynamic = false }: ImportOptions = {}): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(n) ? Boolean(n.importClause?.isTypeOnly) : n.isTypeOnly;
      if (types || !typeOnly) out.push(n.moduleSpecifier.text);
    } else if (dynamic && ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = n.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (dynamic && types && ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push(n.argument.literal.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * What `entry` reaches through its imports, transitively: source files as absolute paths and
 * packages (and node:* modules) as `pkg:<specifier>`. Relative `.js` specifiers are the `.ts`
 * sources (NodeNext resolution).
 */
export function importClosure(entry: string, options: ImportOptions = {}, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const s of importsOf(entry, options)) {
    if (s.startsWith('.')) importClosure(resolve(dirname(entry), s).replace(/\.js$/, '.ts'), options, seen);
    else seen.add(`pkg:${s}`);
  }
  return seen;
}
