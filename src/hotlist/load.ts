/**
 * The gate's hot list (spec section 7 rule 3) at the scale of a national card register: a million
 * entries in typed arrays, looked up without allocation.
 *
 * Storage: table.ts (typed-array hash table, 20 MiB for a million entries). What an entry is (card
 * number range, statuses, minIssue) is the codec's: src/codec/hotlistEntry.ts.
 *
 * Input formats (parsed from bytes, without a string or object per line, so a million lines load in
 * a fraction of a second):
 * - CSV: `cardNumber,status[,minIssue]` per line; an optional header line naming the columns (any
 *   order); blank lines and lines starting with `#` are skipped; fields may be wrapped in double
 *   quotes; CR LF or LF.
 * - JSON: an array of `{"cardNumber": "...", "status": "...", "minIssue": n}` (the `hotlist` of a
 *   section 8 `gate` vector); cardNumber may be a string of digits or a number.
 * Every error is a GateConfigError HOTLIST_FORMAT naming the file and the line.
 */
import { Hotlist } from './table.js';
import { GateConfigError } from '../gate/errors.js';
import { parseHotlistJson } from './json.js';
import { parseHotlistCsv } from './csv.js';
import { needBytes, needString } from '../codec/guard.js';

export { Hotlist } from './table.js';

/**
 * Which parser a file goes to: by extension, else by its first non-blank byte (`[` = JSON).
 *
 * A zero-byte file is refused: it is what a failed copy, a full disk or a truncate-then-write leaves
 * behind, never a list someone meant to be empty. Taken as an empty list, a reload of it would
 * silently let every stolen card in (issue 19 item 8). An empty list is written as a header line
 * (`cardNumber,status`) or `[]`.
 */
export function parseHotlist(bytes: Uint8Array, file = 'hot list'): Hotlist {
  needBytes('parseHotlist', 'bytes', bytes);
  needString('parseHotlist', 'file', file);
  if (bytes.length === 0) {
    throw new GateConfigError('HOTLIST_FORMAT', `${file}: the file is empty (0 bytes), a broken or half-written file; an empty hot list is the header line "cardNumber,status" (CSV) or [] (JSON)`, { file });
  }
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return parseHotlistJson(bytes, file);
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return parseHotlistCsv(bytes, file);
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x5b ? parseHotlistJson(bytes, file) : parseHotlistCsv(bytes, file);
}

/** Reads and parses a hot-list file (node:fs). Throws GateConfigError naming file and line. */
export async function loadHotlistFile(path: string): Promise<Hotlist> {
  needString('loadHotlistFile', 'path', path);
  const { readFile } = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new GateConfigError('FILE_UNREADABLE', `${path}: ${(e as Error).message}`, { file: path, cause: e });
  }
  return parseHotlist(bytes, path);
}
