/**
 * A PresenceEvent's `hotlistAgeMs` (issue 18 part 5), one rule for every sink: a whole count of ms
 * (0 or more, safe integer), or absent. `null` counts as absent, as the SQL stores read it
 * (src/fleet/store/eventShape.ts `int`): JSON of a gate that had no age.
 */
export function hotlistAgeProblem(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `hotlistAgeMs must be an integer of 0 or more (ms), got ${JSON.stringify(v)}`;
  return undefined;
}
