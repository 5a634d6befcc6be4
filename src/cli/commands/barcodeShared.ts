/**
 * Helpers shared by `hmskort barcode` and `hmskort card-back`: the holder or payload argument,
 * number options, and writing output files.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../command.js';
import { readJsonFile } from '../files.js';
import { validateHolder, type ValidHolder } from '../../codec/holder.js';
import { barcodePayload } from '../../codec/barcode.js';

/** A HOLDER.json path, validated (spec section 1). */
export async function holderArg(path: string | undefined, cwd: string): Promise<ValidHolder> {
  if (!path) throw new UsageError('give a HOLDER.json');
  return validateHolder(await readJsonFile(path, cwd));
}

/** The barcode payload from a HOLDER.json, or a 22-digit payload given directly. */
export async function payloadArg(arg: string | undefined, cwd: string): Promise<string> {
  if (arg && /^\d{22}$/.test(arg)) return arg;
  return barcodePayload(await holderArg(arg, cwd));
}

export function numberArg(v: string | undefined, option: string, opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? NaN : Number(v);
  const { min, max } = opts;
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
    throw new UsageError(`${option}: expected ${opts.integer ? 'a whole number' : 'a number'}${range}, got '${v}'`);
  }
  return n;
}

export async function writeOut(path: string, data: string | Uint8Array, cwd: string): Promise<string> {
  const full = resolve(cwd, path);
  await writeFile(full, data);
  return full;
}
