/**
 * The snapshot object (issue 17 part 3: "loading 1 M entries must not mean replaying 1 M puts"):
 * gzip (node:zlib, RFC 1952) of CSV lines `cardNumber,status,minIssue,expiry` under a header
 * `cardNumber,status,minIssue,expiry`, the columns the gate's hot-list CSV reader knows plus expiry.
 * The revision and the purge floor live in the object's metadata (research/fleet.md section 1.4:
 * object metadata is written by the client, so it works on nats-server 2.9).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FeedEntry } from '../contracts.js';
import type { HotlistStatus } from '../../codec/hotlistEntry.js';
import { NatsFleetError } from './errors.js';
import { feedEntryProblem } from '../feedEntry.js';

export const SNAPSHOT_FORMAT = 'hmskort-hotlist-snapshot/1+gzip';
const HEADER = 'cardNumber,status,minIssue,expiry';

export function encodeSnapshot(entries: Iterable<FeedEntry>): Uint8Array {
  const lines = [HEADER];
  for (const e of entries) lines.push(`${e.cardNumber},${e.status},${e.minIssue ?? ''},${e.expiry}`);
  // Level 1: a 1 M-entry list compresses to about a quarter either way; level 6 costs 3x the time.
  return gzipSync(lines.join('\n') + '\n', { level: 1 });
}

/** Entries of a snapshot object; NatsFleetError BAD_SNAPSHOT naming the line otherwise. */
export function decodeSnapshot(bytes: Uint8Array, name: string): FeedEntry[] {
  let text: string;
  try {
    text = gunzipSync(bytes).toString('utf8');
  } catch (cause) {
    throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name}: not gzip data`, { key: name, cause });
  }
  const lines = text.split('\n');
  if (lines[0] !== HEADER) throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name}: the first line is not "${HEADER}"`, { key: name });
  const out: FeedEntry[] = new Array(Math.max(0, lines.length - 2));
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const f = line.split(',');
    const entry: FeedEntry = { cardNumber: f[0], status: f[1] as HotlistStatus, expiry: f[3] };
    if (f[2] !== '') entry.minIssue = Number(f[2]);
    const problem = f.length !== 4 ? `expected 4 fields, found ${f.length}` : feedEntryProblem(entry);
    if (problem) throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name} line ${i + 1}: ${problem}`, { key: name });
    out[n++] = entry;
  }
  out.length = n;
  return out;
}
