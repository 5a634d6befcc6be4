/**
 * File helpers shared by the CLI commands: JSON and hex input with errors that name the file.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError, UsageError } from './command.js';
import { tryFromHex } from '../codec/hex.js';

export async function readJsonFile(path: string, cwd = process.cwd()): Promise<unknown> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw Object.assign(new Error(`cannot read ${path}: ${(e as Error).message}`), { code: 'EREAD', syscall: 'open' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** Expands directories to the *.json files inside them (sorted), keeps files as given. */
export async function expandJsonPaths(paths: string[], cwd = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let st;
    try {
      st = await stat(full);
    } catch {
      out.push(p); // reported as unreadable by the caller
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(full)).filter((n) => n.endsWith('.json')).sort();
      for (const n of names) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

/** Parses a hex option value, or throws a UsageError naming the option. */
export function hexArg(value: string | undefined, option: string, lengths?: number[]): Uint8Array {
  if (value === undefined) throw new UsageError(`${option} is required`);
  const b = tryFromHex(value.replace(/[\s:]/g, ''));
  if (!b) throw new UsageError(`${option}: not a hex string`);
  if (lengths && !lengths.includes(b.length)) throw new UsageError(`${option}: ${b.length} bytes, expected ${lengths.join(' or ')}`);
  return b;
}
