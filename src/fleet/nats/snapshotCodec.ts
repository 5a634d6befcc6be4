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

export const SNAPSHOT_FORMAT = 'hmskort-hotlist-snapshot/1+gzip';
const HEADER = 'cardNumber,status,minIssue,expiry';

export function encodeSnapshot(entries: Iterable<FeedEntry>): Uint8Array {
  const lines = [HEADER];
  for (const e of entries) lines.push(`${e.cardNumber},${e.status},${e.minIssue ?? ''},${e.expiry}`);
  // Level 1: a 1 M-entry list compresses to about a quarter either way; level 6 costs 3x the time.
  return gzipSync(lines.join('\n') + '\n', { level: 1 });
}

/**
 * Entries of a snapshot object; NatsFleetError BAD_SNAPSHOT naming the line when a line is not four
 * fields. The values are checked by whoever takes the entries (the follower checks every entry with
 * feedEntryProblem and counts a bad one as FEED_DELTA_MALFORMED): checking them here too doubled
 * the start-up time of a million-entry gate. The object store's SHA-256 digest (nats.js obj get)
 * already refuses a snapshot damaged on the way.
 */
export function decodeSnapshot(bytes: Uint8Array, name: string): FeedEntry[] {
  let text: string;
  try {
    text = gunzipSync(bytes).toString('latin1');
  } catch (cause) {
    throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name}: not gzip data`, { key: name, cause });
  }
  if (!text.startsWith(HEADER + '\n')) throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name}: the first line is not "${HEADER}"`, { key: name });
  const out: FeedEntry[] = [];
  let line = 1;
  // Cut with indexOf instead of split: no array per line (a million lines).
  for (let p = HEADER.length + 1; p < text.length; ) {
    line++;
    let nl = text.indexOf('\n', p);
    if (nl < 0) nl = text.length;
    const c1 = text.indexOf(',', p);
    const c2 = c1 < 0 ? -1 : text.indexOf(',', c1 + 1);
    const c3 = c2 < 0 ? -1 : text.indexOf(',', c2 + 1);
    const c4 = c3 < 0 ? -1 : text.indexOf(',', c3 + 1);
    if (c3 < 0 || c3 > nl || (c4 >= 0 && c4 < nl)) {
      if (nl === p) {
        p = nl + 1;
        continue;
      }
      throw new NatsFleetError('BAD_SNAPSHOT', `snapshot ${name} line ${line}: expected 4 fields cardNumber,status,minIssue,expiry`, { key: name });
    }
    const entry: FeedEntry = { cardNumber: text.slice(p, c1), status: text.slice(c1 + 1, c2) as HotlistStatus, expiry: text.slice(c3 + 1, nl) };
    if (c3 > c2 + 1) entry.minIssue = Number(text.slice(c2 + 1, c3));
    out.push(entry);
    p = nl + 1;
  }
  return out;
}
