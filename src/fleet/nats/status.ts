/**
 * What `hmskort hotlist status` shows (issue 17 part 5): the bucket's revision, its live entries,
 * the age of the last change, the newest snapshot and purge floor, and the revision each gate last
 * reported (gates.ts).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { NatsHotlistFeed } from './feed.js';
import { loadCurrent } from './current.js';
import { readGateReports, type GateReport } from './gates.js';
import { DEFAULT_BUCKET, kvStreamName } from './names.js';
import { jetstreamManager } from '@nats-io/jetstream';
import { needArray, needObject, needString } from '../../codec/guard.js';

export interface HotlistStatusReport {
  bucket: string;
  revision: number;
  entries: number;
  /** When the bucket last changed (ISO 8601), and how long ago in seconds. */
  changedAt?: string;
  ageS?: number;
  snapshotRevision?: number;
  floor: number;
  /** Values in the bucket that are not entries. */
  malformed: number;
  gates: (GateReport & { behind: number; reportAgeS: number })[];
}

export async function hotlistStatus(nc: NatsConnection, bucket = DEFAULT_BUCKET, now = Date.now()): Promise<HotlistStatusReport> {
  needObject('hotlistStatus', 'nc', nc);
  needString('hotlistStatus', 'bucket', bucket);
  const feed = new NatsHotlistFeed({ nc, bucket });
  const state = await feed.streamState();
  const cur = await loadCurrent(feed);
  const si = await (await jetstreamManager(nc)).streams.info(kvStreamName(bucket));
  const changedAt = si.state.last_ts && !si.state.last_ts.startsWith('0001') ? si.state.last_ts : undefined;
  const gates = (await readGateReports(nc)).map((g) => ({ ...g, behind: Math.max(0, state.last - g.revision), reportAgeS: Math.round((now - Date.parse(g.at)) / 1000) }));
  return {
    bucket,
    revision: state.last,
    entries: cur.current.size,
    ...(changedAt ? { changedAt, ageS: Math.round((now - Date.parse(changedAt)) / 1000) } : {}),
    ...(cur.snapshotRevision !== undefined ? { snapshotRevision: cur.snapshotRevision } : {}),
    floor: cur.floor,
    malformed: cur.malformedKeys.length,
    gates,
  };
}

export function formatHotlistStatus(s: HotlistStatusReport): string {
  needObject('formatHotlistStatus', 's', s);
  needArray('formatHotlistStatus', 's.gates', s.gates);
  const lines = [
    `bucket ${s.bucket}: revision ${s.revision}, ${s.entries} entries${s.ageS !== undefined ? `, last change ${s.changedAt} (${s.ageS} s ago)` : ''}`,
    `snapshot: ${s.snapshotRevision === undefined ? 'none' : `revision ${s.snapshotRevision}`}; deltas kept from revision ${Math.max(1, s.floor)}${s.malformed ? `; ${s.malformed} malformed values (publish again to repair)` : ''}`,
    s.gates.length ? `gates (${s.gates.length}):` : 'gates: none reported',
  ];
  for (const g of s.gates) lines.push(`  ${g.site}.${g.gateId}  revision ${g.revision}${g.behind ? ` (${g.behind} behind)` : ' (current)'}  reported ${g.reportAgeS} s ago${g.lastSeq !== undefined ? `  last event seq ${g.lastSeq}` : ''}`);
  return lines.join('\n') + '\n';
}
