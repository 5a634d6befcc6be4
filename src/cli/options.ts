/**
 * Option values shared by every command: one parser for numbers and one check for enumerations, so
 * that `--dpi -5`, `--dpi=abc`, `--timeout 1e999` and `--format eml` fail the same way everywhere,
 * with a UsageError (exit 2) that names the option and says what it takes. The rule of each option
 * is written once, in the table of src/cli/definitions.ts. (Node's parseArgs gives strings; a value
 * starting with '-' after a space is refused by parseArgs itself, mapped in exitStatus.ts.)
 */
import { UsageError } from './command.js';
import { tryFromHex } from '../codec/hex.js';

export interface NumberRule {
  /** Only whole numbers. */
  integer?: boolean;
  /** Smallest accepted value (inclusive). */
  min?: number;
  /** Largest accepted value (inclusive). */
  max?: number;
}

/** What a number rule accepts, in words: "a whole number from 1 to 65535". */
export function expected(rule: NumberRule): string {
  const what = rule.integer ? 'a whole number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${what} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${what} >= ${rule.min}`;
  if (rule.max !== undefined) return `${what} <= ${rule.max}`;
  return what;
}

/** The option's number, or undefined when it was not given. Throws UsageError naming `option`. */
export function numberOption(value: string | undefined, option: string, rule: NumberRule = {}): number | undefined {
  if (value === undefined) return undefined;
  // Number('') and Number(' ') are 0, Number('0x10') is 16: only plain decimal notation counts.
  const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value) ? Number(value) : NaN;
  const bad = !Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || (rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max);
  if (bad) throw new UsageError(`${option}: expected ${expected(rule)}, got ${JSON.stringify(value.slice(0, 40))}`);
  return n;
}

/** The option's value when it is one of `allowed` (or undefined when not given); else a UsageError naming `option`. */
export function enumOption<T extends string>(value: string | undefined, option: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${option}: one of ${allowed.join(', ')} (got ${JSON.stringify(value.slice(0, 40))})`);
  return value as T;
}

/**
 * The option's bytes, written in hex (spaces and colons allowed: "04:a1:b2:c3"), or undefined when
 * it was not given; `lengths` are the accepted lengths in bytes. Throws UsageError naming `option`.
 */
export function hexOption(value: string | undefined, option: string, lengths?: readonly number[]): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const b = tryFromHex(value.replace(/[\s:]/g, ''));
  if (!b) throw new UsageError(`${option}: not a hex string`);
  if (lengths && !lengths.includes(b.length)) throw new UsageError(`${option}: ${b.length} bytes, expected ${lengths.join(' or ')}`);
  return b;
}

/** The one wording of a missing option: "--journal FILE is required", "--format F is required: one of mfd, proxmark, mct". */
export function requiredMessage(flag: string, value: string | undefined, values?: readonly string[]): string {
  return `${flag}${value ? ` ${value}` : ''} is required${values ? `: one of ${values.join(', ')}` : ''}`;
}
