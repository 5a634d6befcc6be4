/**
 * The public surface is a decision (issue 15 item 5; after noble-hashes' test/exports.test.ts):
 * every entry point of package.json "exports" lists its names explicitly, and the sorted names it
 * exports are compared exactly with test/unit/project/__snapshots__/exports.json. Adding, removing or
 * renaming an export fails here until the snapshot is updated with it (`npx vitest run
 * test/unit/project/exports.test.ts -u`), so the change shows in review.
 *
 * Runtime names come from importing the entry point; type-only names from its export lists (the
 * source text), which are checked against the runtime names so the two cannot disagree.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const SUBPATHS = Object.keys(pkg.exports).filter((k) => k !== './package.json');

/** "./gate" -> "src/gate/index.ts"; "." -> "src/index.ts". */
const sourceOf = (sub: string) => (sub === '.' ? 'src/index.ts' : `src/${sub.slice(2)}/index.ts`);
const nameOf = (sub: string) => (sub === '.' ? 'hmskort' : `hmskort/${sub.slice(2)}`);

const RUNTIME: Record<string, Record<string, unknown>> = {};
for (const sub of SUBPATHS) RUNTIME[nameOf(sub)] = (await import(/* @vite-ignore */ `../../../${sourceOf(sub).replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;

/** The names an index.ts lists: `export { a, type B } from` and `export type { C } from`. */
function listed(text: string): { values: string[]; types: string[] } {
  const values: string[] = [];
  const types: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const m of code.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from/g)) {
    for (const raw of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
      const isType = Boolean(m[1]) || raw.startsWith('type ');
      const name = raw.replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      (isType ? types : values).push(name);
    }
  }
  return { values, types };
}

const SOURCES = Object.fromEntries(SUBPATHS.map((sub) => [nameOf(sub), readFileSync(new URL(`../../../${sourceOf(sub)}`, import.meta.url), 'utf8')]));

describe('the export surface of every entry point', () => {
  it('reads all twelve entry points', () => {
    expect(Object.keys(RUNTIME).sort()).toEqual(['hmskort', 'hmskort/barcode', 'hmskort/bridge', 'hmskort/drivers/msr', 'hmskort/drivers/pcsc', 'hmskort/drivers/printer', 'hmskort/drivers/vpcd', 'hmskort/fleet', 'hmskort/fleet/nats', 'hmskort/gate', 'hmskort/lab', 'hmskort/testing']);
  });

  it('every entry point lists its names: no `export *`', () => {
    const star = Object.entries(SOURCES).filter(([, text]) => /^\s*export\s*\*/m.test(text)).map(([mod]) => mod);
    expect(star).toEqual([]);
  });

  it('the listed value names are exactly the runtime exports (the parser below is trusted by this)', () => {
    for (const [mod, text] of Object.entries(SOURCES)) {
      expect(listed(text).values.sort(), mod).toEqual(Object.keys(RUNTIME[mod]).sort());
    }
  });

  it('the sorted names of every entry point equal the committed snapshot', async () => {
    const surface = Object.fromEntries(
      Object.entries(SOURCES)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([mod, text]) => {
          const { values, types } = listed(text);
          return [mod, [...values, ...types.map((t) => `type ${t}`)].sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')) || a.localeCompare(b))];
        }),
    );
    await expect(JSON.stringify(surface, null, 1) + '\n').toMatchFileSnapshot('./__snapshots__/exports.json');
  });

  it('no name is exported twice by one entry point', () => {
    for (const [mod, text] of Object.entries(SOURCES)) {
      const { values, types } = listed(text);
      const all = [...values, ...types];
      expect(all.filter((n, i) => all.indexOf(n) !== i), mod).toEqual([]);
    }
  });

  it('a name exported by two entry points is the same thing in both', () => {
    const seen = new Map<string, { mod: string; value: unknown }>();
    const clashes: string[] = [];
    for (const [mod, m] of Object.entries(RUNTIME)) {
      for (const [name, value] of Object.entries(m)) {
        const first = seen.get(name);
        if (first && first.value !== value) clashes.push(`${name}: ${first.mod} and ${mod}`);
        else if (!first) seen.set(name, { mod, value });
      }
    }
    expect(clashes).toEqual([]);
  });

  it('a type name exported by two entry points comes from the same module', () => {
    // Types have no runtime value: compare the module each entry point takes the name from.
    const from = new Map<string, string>();
    const clashes: string[] = [];
    for (const [mod, text] of Object.entries(SOURCES)) {
      const dir = mod === 'hmskort' ? 'src' : `src/${mod.slice('hmskort/'.length)}`;
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      for (const m of code.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
        const target = new URL(m[3], `file:///${dir}/`).pathname;
        for (const raw of m[2].split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!(m[1] || raw.startsWith('type '))) continue;
          const name = raw.replace(/^type\s+/, '');
          const prev = from.get(name);
          if (prev && prev !== target) clashes.push(`type ${name}: ${prev} and ${target} (${mod})`);
          else from.set(name, target);
        }
      }
    }
    expect(clashes).toEqual([]);
  });
});
