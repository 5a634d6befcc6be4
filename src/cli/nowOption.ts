/**
 * `--now INSTANT` (gate, site prune, site remove-worker): one parser for every command, so an
 * instant without Z or an offset is refused everywhere instead of being read in the host's zone
 * (which would move "today in Oslo" with the machine's TZ).
 */
import { UsageError } from './command.js';
import { parseInstant } from '../vectors/kinds/gate.js';

/** The instant of `--now` in ms, or undefined without it. */
export function nowOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseInstant(v);
  } catch {
    throw new UsageError(`--now: an ISO 8601 instant with Z or an offset expected, e.g. 2027-01-01T12:00:00Z (got "${v}")`);
  }
}
