/**
 * Issue 19 item 17: every function and class exported by every entry point, called with
 * wrong-typed arguments, fails with a typed error that has a string `code` and a `kind`
 * (HmskError INVALID_ARGUMENT, or the family's own error: CardError, MsrError, BridgeError...),
 * never a TypeError or RangeError from deep inside; an INVALID_ARGUMENT names the function called. After noble-hashes' test/errors.test.ts: one
 * table, and the list of exports is read from the modules, so a new export without a row fails.
 *
 * A row is one of:
 *   'wrong'            call f(w, w, ...) (arity = f.length, at least 1) for each w in WRONG, and
 *                      `new` it for a class
 *   { calls: [...] }   these argument lists, each must fail; `names` when the function hands the
 *                      argument to another public one whose name the error carries
 *   { total: why }     a predicate, a no-argument factory or an error class: any argument is
 *                      accepted; the call must not throw (checked with the WRONG values)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROWS, type Row } from '../../helpers/wrongTypeRows.js';

/**
 * Every entry point of package.json "exports" (but ./package.json), from its sources:
 * "./gate" -> src/gate/index.ts, "." -> src/index.ts. A new entry point is in the table at once.
 */
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { exports: Record<string, unknown> };
const MODULES: Record<string, Record<string, unknown>> = {};
for (const sub of Object.keys(pkg.exports).filter((k) => k !== './package.json')) {
  const name = sub === '.' ? 'hmskort' : `hmskort/${sub.slice(2)}`;
  MODULES[name] = (await import(sub === '.' ? '../../../src/index.js' : `../../../src/${sub.slice(2)}/index.js`)) as Record<string, unknown>;
}
const root = MODULES.hmskort as typeof import('../../../src/index.js');
const gate = MODULES['hmskort/gate'] as typeof import('../../../src/gate/index.js');

/** Values no public parameter of this library takes in the position they are given. */
const WRONG: readonly unknown[] = [null, 42];

const KINDS = new Set(['usage', 'data', 'config', 'device']);

type Callable = (...a: unknown[]) => unknown;
const isClass = (f: unknown) => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

function invoke(f: Callable, args: unknown[]): unknown {
  return isClass(f) ? Reflect.construct(f, args) : f(...args);
}

/** Runs one call; resolves to the thrown or rejected error, or undefined when it returned. */
async function outcome(f: Callable, args: unknown[]): Promise<unknown> {
  try {
    const r = invoke(f, args);
    if (r && typeof (r as Promise<unknown>).then === 'function') await (r as Promise<unknown>);
    return undefined;
  } catch (e) {
    return e;
  }
}

function describeErr(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message.slice(0, 120)}` : String(e);
}

/** The error is typed: a string code, a known kind, and not one of JavaScript's own errors. */
function typed(e: unknown): boolean {
  if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) return false;
  const x = e as { code?: unknown; kind?: unknown };
  return typeof x.code === 'string' && typeof x.kind === 'string' && KINDS.has(x.kind);
}

function callsOf(f: Callable, row: Row): unknown[][] {
  if (row === 'wrong') {
    const arity = Math.max(f.length, 1);
    return WRONG.map((w) => Array(arity).fill(w));
  }
  if ('calls' in row) return row.calls;
  return WRONG.map((w) => [w]);
}

const ENTRIES = Object.entries(MODULES).flatMap(([mod, m]) =>
  Object.entries(m)
    .filter(([, v]) => typeof v === 'function')
    .map(([name, v]) => ({ id: `${mod}:${name}`, name, f: v as Callable })),
);

/**
 * Rows keyed "src/MODULE.js:name": functions the entry points no longer export (issue 15 item 5),
 * still called with wrong types, from their module.
 */
const INTERNAL: { id: string; name: string; f: Callable }[] = [];
for (const id of Object.keys(ROWS).filter((k) => k.startsWith('src/'))) {
  const [file, name] = id.split(':');
  const f = ((await import(/* @vite-ignore */ `../../../${file}`)) as Record<string, unknown>)[name];
  if (typeof f === 'function') INTERNAL.push({ id, name, f: f as Callable });
}

describe('every function export has a row', () => {
  it('all twelve entry points are read', () => {
    expect(Object.keys(MODULES).sort()).toEqual(['hmskort', 'hmskort/barcode', 'hmskort/bridge', 'hmskort/drivers/msr', 'hmskort/drivers/pcsc', 'hmskort/drivers/printer', 'hmskort/drivers/vpcd', 'hmskort/fleet', 'hmskort/fleet/nats', 'hmskort/gate', 'hmskort/lab', 'hmskort/testing']);
  });

  it('every exported error class says what it is: a kind of usage, data, config or device (item 16)', () => {
    const classes = ENTRIES.filter((e) => isClass(e.f) && e.f.prototype instanceof Error);
    expect(classes.length).toBeGreaterThanOrEqual(8);
    for (const { id, f } of classes) {
      const e = Reflect.construct(f, ['IO', 'a message']) as { kind?: unknown; code?: unknown };
      expect(KINDS.has(e.kind as string), `${id}: kind ${String(e.kind)}`).toBe(true);
      expect(typeof e.code, `${id}: code`).toBe('string');
    }
  });

  it('no export without a row, no row without an export', () => {
    const ids = new Set([...ENTRIES, ...INTERNAL].map((e) => e.id));
    expect(ENTRIES.filter((e) => !(e.id in ROWS)).map((e) => e.id)).toEqual([]);
    expect(Object.keys(ROWS).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe('wrong-typed arguments give a typed error with a code, never a TypeError', () => {
  for (const { id, name, f } of [...ENTRIES, ...INTERNAL]) {
    const row = ROWS[id];
    if (row === undefined) continue;
    it(id, async () => {
      const bad: string[] = [];
      // Whom an argument error must name: the function called, or what the row says it delegates to.
      const named = typeof row === 'object' && 'names' in row && row.names ? row.names : name;
      for (const args of callsOf(f, row)) {
        const e = await outcome(f, args);
        const shown = args.map((a) => (a instanceof Uint8Array ? `Uint8Array(${a.length})` : typeof a === 'function' ? 'fn' : JSON.stringify(a) ?? String(a))).join(', ');
        if (typeof row === 'object' && 'total' in row) {
          if (e !== undefined) bad.push(`(${shown}) threw ${describeErr(e)}`);
        } else if (e === undefined) bad.push(`(${shown}) returned`);
        else if (!typed(e)) bad.push(`(${shown}) threw ${describeErr(e)}`);
        // An argument error names the function that was called, not a helper deep inside.
        else if ((e as { code?: string }).code === 'INVALID_ARGUMENT' && !(e as Error).message.includes(`${named}:`) && !(e as Error).message.includes(`${named}.`))
          bad.push(`(${shown}) threw ${describeErr(e)}, which does not name ${named}`);
      }
      expect(bad.join("\n")).toBe("");
    });
  }
});

describe('the forms that are accepted (item 17)', () => {
  const rec = (root.encodeRecord as (h: unknown) => Uint8Array)(root.validateHolder({ category: 'construction', cardNumber: '123456', orgNumber: '974760673', orgName: 'Bygg AS', givenName: 'Kari', familyName: 'Østby', birthDate: '1985-04-17', gender: 'F', expiry: '2028-06-30' }));
  const block = rec.slice(0, 16);

  it('decideGate and decideGateFast take a Date as well as epoch milliseconds, with the same decision', () => {
    for (const iso of ['2028-06-30T21:59:59Z', '2028-06-30T22:00:00Z']) {
      const ms = Date.parse(iso);
      expect(gate.decideGate(block, new Date(ms), [], {})).toEqual(gate.decideGate(block, ms, [], {}));
      const fast = (now: number | Date) => {
        const out = { fields: root.newGateBlockOut(), status: 0 };
        return gate.decideGateFast(block, now, gate.hotlistFromEntries([]), gate.compilePolicy({}), new (class {
          day = (t: number) => Math.floor((t + 2 * 3600_000) / 86_400_000); // summer time in Oslo: UTC+2
        })() as never, out);
      };
      expect(fast(new Date(ms))).toBe(fast(ms));
    }
    expect(gate.decideGate(block, Date.parse('2028-06-30T21:59:59Z'), [], {}).reason).toBe('ok');
    expect(gate.decideGate(block, new Date('2028-06-30T22:00:00Z'), [], {}).reason).toBe('expired');
  });

  it('decodeRecord and decodeGateBlock take a Uint8Array (a Buffer is one), and both refuse a number[]', () => {
    expect(root.decodeRecord(Buffer.from(rec)).cardNumber).toBe('123456');
    expect(root.decodeGateBlock(Buffer.from(block)).cardNumber).toBe('123456');
    for (const f of [() => root.decodeRecord([...rec] as never), () => root.decodeGateBlock([...block] as never)]) {
      expect(f).toThrow(root.HmskError);
      expect(f).toThrow(/INVALID_ARGUMENT/);
    }
  });
});
