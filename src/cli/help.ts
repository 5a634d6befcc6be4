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

/** `hmskort NAME POSITIONALS --required X [--a X] [--b]`, wrapped under its first option. */
function synopsis(prefix: string, d: Declared, width = WIDTH): string {
  const head = d.positionals ? `${prefix} ${d.positionals}` : prefix;
  const lines = [head];
  const indent = ' '.repeat(Math.min(head.length + 1, 40));
  for (const name of Object.keys(d.options) as OptionName[]) {
    // A required option is written without brackets: it is not optional.
    const part = definition(name, d.options[name]).required ? flagWithValue(name, d.options) : `[${flagWithValue(name, d.options)}]`;
    if (lines[lines.length - 1].length + 1 + part.length > width) lines.push(indent + part);
    else lines[lines.length - 1] += ` ${part}`;
  }
  return lines.join('\n');
}

/** `text` broken at spaces into lines of at most `width` (its own line breaks kept). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/** One option's help line(s), continuation lines under the help column; `sub` names the sub-command that says it differently. */
function optionLine(name: OptionName, list: OptionList, sub?: string): string {
  const d = definition(name, list[name]);
  const notes: string[] = [];
  if (d.type === 'number' && d.number) notes.push(expected(d.number));
  if (d.type === 'enum' && d.values && !d.values.every((v) => d.help.includes(v))) notes.push(`one of ${d.values.join(', ')}`);
  if (d.type === 'list') notes.push('repeatable');
  if (d.default !== undefined && !/default/.test(d.help)) notes.push(`default ${d.default}`);
  const help = `${sub ? `${sub}: ` : ''}${d.help}${notes.length ? ` [${notes.join('; ')}]` : ''}`;
  const flag = `  ${flagWithValue(name, list)}`;
  const pad = ' '.repeat(COLUMN);
  const first = flag.length + 2 > COLUMN ? `${flag}\n${pad}` : flag.padEnd(COLUMN);
  return first + wrap(help, WIDTH - COLUMN).join(`\n${pad}`);
}

/** The option lines of one command, or of all sub-commands: each option once, again only where a sub-command says it differently. */
function optionLines(lists: ReadonlyArray<readonly [string | undefined, OptionList]>): string[] {
  const first = new Map<OptionName, string>();
  const out: string[] = [];
  for (const [sub, list] of lists) {
    for (const name of Object.keys(list) as OptionName[]) {
      const line = optionLine(name, list);
      const before = first.get(name);
      if (before === line) continue;
      if (before === undefined) first.set(name, line);
      out.push(before === undefined ? line : optionLine(name, list, sub));
    }
  }
  return out;
}

export function commandUsage(name: string, d: Declared): string {
  const parts = [synopsis(`Usage: hmskort ${name}`, d)];
  if (d.description) parts.push(d.description);
  const options = optionLines([[undefined, d.options]]);
  if (options.length) parts.push(['Options:', ...options].join('\n'));
  return parts.join('\n\n') + '\n';
}

export function groupUsage(name: string, description: string | undefined, subs: Record<string, Declared>): string {
  const usage = Object.entries(subs).map(([sub, d]) => '  ' + synopsis(`hmskort ${name} ${sub}`, d, WIDTH - 2).split('\n').join('\n  '));
  const parts = [['Usage:', ...usage].join('\n')];
  if (description) parts.push(description);
  const options = optionLines(Object.entries(subs).map(([sub, d]) => [sub, d.options] as const));
  if (options.length) parts.push(['Options:', ...options].join('\n'));
  return parts.join('\n\n') + '\n';
}
