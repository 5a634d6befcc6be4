/**
 * The --help text of a declared command (src/cli/declare.ts): usage lines with the options each
 * (sub-)command takes, the command's own prose, and one line per option from the table of
 * src/cli/definitions.ts (value name, help, accepted range or values, default).
 */
import type { Declared, OptionList } from './declare.js';
import { definition, type OptionName } from './definitions.js';
import { expected } from './options.js';

const WIDTH = 100;
const COLUMN = 20;

function flagWithValue(name: OptionName, list: OptionList): string {
  const d = definition(name, list[name]);
  return `--${d.flag ?? name}${d.type === 'boolean' ? '' : ` ${d.value ?? 'VALUE'}`}`;
}

/** `hmskort NAME POSITIONALS [--a X] [--b]`, wrapped under its first option. */
function synopsis(prefix: string, d: Declared): string {
  const head = d.positionals ? `${prefix} ${d.positionals}` : prefix;
  const lines = [head];
  const indent = ' '.repeat(Math.min(head.length + 1, 40));
  for (const name of Object.keys(d.options) as OptionName[]) {
    const part = `[${flagWithValue(name, d.options)}]`;
    if (lines[lines.length - 1].length + 1 + part.length > WIDTH) lines.push(indent + part);
    else lines[lines.length - 1] += ` ${part}`;
  }
  return lines.join('\n');
}

/** One option's help line(s), continuation lines under the help column. */
function optionLine(name: OptionName, list: OptionList): string {
  const d = definition(name, list[name]);
  const notes: string[] = [];
  if (d.type === 'number' && d.number) notes.push(expected(d.number));
  if (d.type === 'enum' && d.values && !d.values.every((v) => d.help.includes(v))) notes.push(`one of ${d.values.join(', ')}`);
  if (d.type === 'list') notes.push('repeatable');
  if (d.default !== undefined && !/default/.test(d.help)) notes.push(`default ${d.default}`);
  const help = notes.length ? `${d.help} (${notes.join('; ')})` : d.help;
  const flag = `  ${flagWithValue(name, list)}`;
  const pad = ' '.repeat(COLUMN);
  const first = flag.length + 2 > COLUMN ? `${flag}\n${pad}` : flag.padEnd(COLUMN);
  return first + help.split('\n').join(`\n${pad}`);
}

function optionLines(lists: OptionList[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const name of Object.keys(list) as OptionName[]) {
      const line = optionLine(name, list);
      // The same option under two sub-commands is listed once, unless a sub-command says it differently.
      if (seen.has(line)) continue;
      seen.add(line);
      out.push(line);
    }
  }
  return out;
}

export function commandUsage(name: string, d: Declared): string {
  const parts = [`Usage: ${synopsis(`hmskort ${name}`, d)}`];
  if (d.description) parts.push(d.description);
  const options = optionLines([d.options]);
  if (options.length) parts.push(['Options:', ...options].join('\n'));
  return parts.join('\n\n') + '\n';
}

export function groupUsage(name: string, description: string | undefined, subs: Record<string, Declared>): string {
  const usage = Object.entries(subs).map(([sub, d]) => '  ' + synopsis(`hmskort ${name} ${sub}`, d).split('\n').join('\n  '));
  const parts = [['Usage:', ...usage].join('\n')];
  if (description) parts.push(description);
  const options = optionLines(Object.values(subs).map((d) => d.options));
  if (options.length) parts.push(['Options:', ...options].join('\n'));
  return parts.join('\n\n') + '\n';
}
