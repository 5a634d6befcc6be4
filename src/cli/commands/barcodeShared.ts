/**
 * Helpers shared by `hmskort barcode` and `hmskort card-back`: the holder or payload argument and
 * writing output files.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../command.js';
import { readJsonFile } from '../files.js';
import { validateHolder, type ValidHolder } from '../../codec/holder.js';
import { barcodePayload } from '../../codec/barcode.js';

/** A HOLDER.json path, validated (spec section 1). */
export async function holderArg(path: string | undefined, cwd: string, opts: { truncate?: boolean } = {}): Promise<ValidHolder> {
  if (!path) throw new UsageError('give a HOLDER.json');
  return validateHolder(await readJsonFile(path, cwd), opts);
}

/** The barcode payload from a HOLDER.json, or a 22-digit payload given directly. */
export async function payloadArg(arg: string | undefined, cwd: string): Promise<string> {
  if (arg && /^\d{22}$/.test(arg)) return arg;
  return barcodePayload(await holderArg(arg, cwd));
}

export async function writeOut(path: string, data: string | Uint8Array, cwd: string): Promise<string> {
  const full = resolve(cwd, path);
  await writeFile(full, data);
  return full;
}
