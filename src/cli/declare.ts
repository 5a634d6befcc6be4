/**
 * One way to declare a `hmskort` command: its name, summary, description, the options it takes
 * (by name from the table of src/cli/definitions.ts, with its own help or default only where the
 * meaning differs), its positionals, its sub-commands, and run(values, positionals, ctx). The
 * arguments are parsed by node:util parseArgs (strict) under the table, numbers and enumerations
 * are checked by src/cli/options.ts, and the --help text is generated (src/cli/help.ts).
 */
import { parseArgs } from 'node:util';
import { UsageError, type CliCommand, type CliContext } from './command.js';
import { definition, type OptionName, type OptionOverride, type OPTIONS } from './definitions.js';
import { enumOption, hexOption, numberOption, requiredMessage } from './options.js';
import { parseArgsUsage } from './exitStatus.js';
import { commandUsage, groupUsage } from './help.js';

export type { OptionOverride };
export type OptionList = { readonly [K in OptionName]?: OptionOverride };

type Def<K extends OptionName> = (typeof OPTIONS)[K];
type Parsed<D> = D extends { type: 'boolean' } ? boolean : D extends { type: 'number' } ? number : D extends { type: 'list' } ? string[] : D extends { type: 'hex' } ? Uint8Array : string;
/** Never undefined: a default applies, or the command declared it required. */
type Defaulted<Ov, D> = Ov extends { default: string | number } | { required: true } ? true : D extends { default: string | number } ? true : false;

/** The parsed values of a command's options: typed by the table, never undefined where a default applies. */
export type Values<O extends OptionList> = {
  readonly [K in keyof O & OptionName]: Defaulted<O[K], Def<K>> extends true ? Parsed<Def<K>> : Parsed<Def<K>> | undefined;
};

export interface CommandSpec<O extends OptionList> {
  /** The positionals as the help shows them ("HOLDER.json", "FILE_OR_DIR..."); without it, none are taken. */
  readonly positionals?: string;
  /** Prose of the help, after the usage lines: what it does, the exit status. */
  readonly description?: string;
  readonly options: O;
  run(values: Values<O>, positionals: string[], ctx: CliContext): Promise<number> | number;
}

/** A declaration with its value types erased: what dispatch, help and the tests need. */
export interface Declared {
  readonly positionals?: string;
  readonly description?: string;
  readonly options: OptionList;
  invoke(args: string[], ctx: CliContext): Promise<number>;
}

/** Parses `args` under the declared options; every mistake is a UsageError naming the option. */
export function parseOptions(list: OptionList, args: string[], allowPositionals: boolean): { values: Record<string, unknown>; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  const names = Object.keys(list) as OptionName[];
  for (const name of names) {
    const d = definition(name);
    config[d.flag ?? name] = d.type === 'boolean' ? { type: 'boolean' } : { type: 'string', ...(d.type === 'list' ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: config, allowPositionals, strict: true });
  } catch (e) {
    throw parseArgsUsage(e) ?? e;
  }
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const d = definition(name, list[name]);
    const flag = `--${d.flag ?? name}`;
    const raw = parsed.values[d.flag ?? name] as string | undefined;
    const value = d.type === 'number' ? numberOption(raw, flag, d.number) : d.type === 'enum' ? enumOption(raw, flag, d.values ?? []) : d.type === 'hex' ? hexOption(raw, flag, d.bytes) : raw;
    values[name] = value ?? d.default;
  }
  // After every value is checked, so a malformed value is reported before a missing option.
  for (const name of names) {
    const d = definition(name, list[name]);
    if (d.required && values[name] === undefined) throw new UsageError(requiredMessage(`--${d.flag ?? name}`, d.value, d.type === 'enum' ? d.values : undefined));
  }
  return { values, positionals: parsed.positionals };
}

/** Declares a command or sub-command; `const` keeps the literal option names for Values<O>. */
export function declare<const O extends OptionList>(spec: CommandSpec<O>): Declared {
  return {
    positionals: spec.positionals,
    description: spec.description,
    options: spec.options,
    async invoke(args, ctx) {
      const { values, positionals } = parseOptions(spec.options, args, spec.positionals !== undefined);
      return spec.run(values as Values<O>, positionals, ctx);
    },
  };
}

/** A command without sub-commands: `hmskort NAME ...`. */
export function defineCommand<const O extends OptionList>(head: { name: string; summary: string }, spec: CommandSpec<O>): CliCommand {
  const d = declare(spec);
  return { ...head, usage: commandUsage(head.name, d), options: Object.keys(spec.options), run: (args, ctx) => d.invoke(args, ctx) };
}

/**
 * The position of the sub-command in `args`: the first argument that is neither an option nor the
 * value of one (so `hmskort stripe --json ports` still finds `ports`, as before).
 */
function subcommandIndex(args: string[], subs: Record<string, Declared>): number {
  const takesValue = new Set<string>();
  for (const s of Object.values(subs)) for (const name of Object.keys(s.options) as OptionName[]) {
    const d = definition(name);
    if (d.type !== 'boolean') takesValue.add(`--${d.flag ?? name}`);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return i + 1 < args.length ? i + 1 : -1;
    if (!a.startsWith('-')) return i;
    if (takesValue.has(a)) i++;
  }
  return -1;
}

/** A command with sub-commands: `hmskort NAME SUB ...`. */
export function defineGroup(head: { name: string; summary: string; description?: string; subcommands: Record<string, Declared> }): CliCommand {
  const subs = head.subcommands;
  const names = Object.keys(subs);
  return {
    name: head.name,
    summary: head.summary,
    usage: groupUsage(head.name, head.description, subs),
    subcommands: Object.fromEntries(names.map((n) => [n, { options: Object.keys(subs[n].options) }])),
    async run(args, ctx) {
      const i = subcommandIndex(args, subs);
      const sub = i < 0 ? undefined : args[i];
      if (sub === undefined) throw new UsageError(`${head.name} needs a sub-command: ${names.join(', ')}`);
      if (!Object.prototype.hasOwnProperty.call(subs, sub)) throw new UsageError(`unknown ${head.name} sub-command "${sub}" (one of ${names.join(', ')})`);
      return subs[sub].invoke([...args.slice(0, i), ...args.slice(i + 1)], ctx);
    },
  };
}
