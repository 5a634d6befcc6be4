/**
 * The site policy file (spec section 7 rules 4 and 5): JSON `{"allowedOrgs": [...],
 * "allowedCategories": [...]}`, validated by the pure validatePolicy (codec/gateDecision.ts); every
 * error is a GateConfigError POLICY_FORMAT naming the file, and the line where it can be found.
 */
import { readFile } from 'node:fs/promises';
import { PolicyError, validatePolicy, type GatePolicy } from '../codec/gateDecision.js';
import { GateConfigError } from './errors.js';
import { jsonErrorLine } from './jsonErrorAt.js';
import { jsonPathLine } from './jsonPathLine.js';
import { printable } from '../codec/printable.js';
import { needString } from '../codec/guard.js';

export function parsePolicy(text: string, file = 'policy'): GatePolicy {
  needString('parsePolicy', 'text', text);
  needString('parsePolicy', 'file', file);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // Node 20's messages do not always carry a position: find it with a syntax check.
    const line = jsonErrorLine(text);
    // Node's message quotes the text it stopped at as is: made printable and cut (item 23).
    throw new GateConfigError('POLICY_FORMAT', `${file}${line ? `:${line}` : ''}: not valid JSON: ${printable((e as Error).message, 120)}`, { file, line, cause: e });
  }
  try {
    return validatePolicy(json);
  } catch (e) {
    // Point at the line of the offending value, by its path ([key] or [key, index]).
    const line = e instanceof PolicyError && e.path.length ? jsonPathLine(text, e.path) : undefined;
    const detail = (e as { detail?: string }).detail ?? (e as Error).message;
    throw new GateConfigError('POLICY_FORMAT', `${file}${line ? `:${line}` : ''}: ${detail}`, { file, line, cause: e });
  }
}

export async function loadPolicyFile(path: string): Promise<GatePolicy> {
  needString('loadPolicyFile', 'path', path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new GateConfigError('FILE_UNREADABLE', `${path}: ${(e as Error).message}`, { file: path, cause: e });
  }
  return parsePolicy(text, path);
}
