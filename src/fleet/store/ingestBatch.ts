/**
 * One batch of stream messages into the store: the heart of the ingest consumer (issue 17 part 3).
 *
 * Order, and why: (1) every message is checked (eventShape.ts); (2) the good ones are inserted and
 * the malformed ones recorded in `ingest_errors`, in ONE transaction; (3) only after COMMIT are the
 * good ones acknowledged and the malformed ones terminated (`term`: never redelivered). Killed
 * before COMMIT: the transaction rolls back, nothing was acknowledged, the server redelivers after
 * ack_wait. Killed after COMMIT and before the acks: redelivered, and ON CONFLICT DO NOTHING stores
 * nothing twice (they count as duplicates). Either way nothing is lost and nothing is doubled
 * (nats.docs, JetStream model deep dive, "Exactly Once Semantics"; research/fleet.md section 5).
 *
 * A batch the database refuses as data (SQLSTATE class 22 or 23, which eventShape.ts should have
 * prevented) is split into single messages, so one bad event is recorded and terminated instead of
 * failing its whole batch on every redelivery.
 */
import type { SqlDb, SqlQueryable } from './db.js';
import { StoreError } from './errors.js';
import { eventRowFromBytes, type EventRow } from './eventShape.js';
import { insertEvents, insertIngestErrors, type IngestErrorRow } from './events.js';

/** What the consumer needs of a JetStream message (JsMsg of @nats-io/jetstream has all of it). */
export interface StreamMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  /** The stream sequence; null for an event read from a gate's outbox (outboxIngest.ts). */
  readonly seq: number | null;
  ack(): void;
  term(): void;
}

export interface BatchResult {
  messages: number;
  inserted: number;
  duplicates: number;
  /** Malformed messages: recorded and terminated. */
  errors: number;
}

/** Called at the two points a crash matters (tests kill the process there). */
export interface BatchHooks {
  /** Inside the transaction, after the inserts, before COMMIT. */
  beforeCommit?(): void | Promise<void>;
  /** After COMMIT, before any acknowledgement. */
  afterCommit?(): void | Promise<void>;
}

const RAW_KEPT = 2048;

function errorRow(m: StreamMessage, e: Error): IngestErrorRow {
  const raw = new TextDecoder().decode(m.data.subarray(0, RAW_KEPT * 4)).slice(0, RAW_KEPT).replace(/\u0000/g, '\uFFFD');
  const code = e instanceof StoreError ? e.code : 'MALFORMED_EVENT';
  return { stream_seq: m.seq, subject: m.subject, code, error: e.message.replace(/\u0000/g, '\uFFFD').slice(0, 1000), raw };
}

/** The row of `m`, or the error that says why it is not one. The subject must name the event's site and gate. */
function check(m: StreamMessage): EventRow | Error {
  try {
    const row = eventRowFromBytes(m.data, m.seq);
    const t = m.subject.split('.');
    // Only a stream subject (ev.<site>.<gate>) names them; an outbox's subject is its directory.
    if (t[0] === 'ev' && t.length >= 3 && (t[t.length - 2] !== row.site_id || t[t.length - 1] !== row.gate_id)) {
      return new StoreError('MALFORMED_EVENT', `subject ${m.subject} does not match site ${row.site_id}, gate ${row.gate_id}`, { field: 'subject' });
    }
    return row;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

async function commitBatch(db: SqlDb, msgs: readonly StreamMessage[], hooks: BatchHooks): Promise<BatchResult> {
  const rows: EventRow[] = [];
  const good: StreamMessage[] = [];
  const bad: StreamMessage[] = [];
  const errors: IngestErrorRow[] = [];
  for (const m of msgs) {
    const r = check(m);
    if (r instanceof Error) {
      bad.push(m);
      errors.push(errorRow(m, r));
    } else {
      rows.push(r);
      good.push(m);
    }
  }
  const r = await db.transaction(async (tx: SqlQueryable) => {
    const ins = await insertEvents(tx, rows);
    await insertIngestErrors(tx, errors);
    await hooks.beforeCommit?.();
    return ins;
  });
  await hooks.afterCommit?.();
  for (const m of good) m.ack();
  // term() without a reason: nats-server 2.9.10 (Debian 12) ignored `+TERM <reason>` here, leaving
  // the message pending (observed: num_ack_pending stayed 3 after three reasoned terms).
  for (const m of bad) m.term();
  return { messages: msgs.length, inserted: r.inserted, duplicates: r.duplicates, errors: bad.length };
}

/** Stores `msgs` and then acknowledges them (see the module comment); rejects, acknowledging nothing, when the database fails. */
export async function ingestBatch(db: SqlDb, msgs: readonly StreamMessage[], hooks: BatchHooks = {}): Promise<BatchResult> {
  try {
    return await commitBatch(db, msgs, hooks);
  } catch (e) {
    if (!isDataError(e)) throw e;
    if (msgs.length === 1) {
      // The database refused this one event: record it and terminate it, as a malformed one.
      await db.transaction((tx) => insertIngestErrors(tx, [errorRow(msgs[0], new StoreError('MALFORMED_EVENT', `refused by the database: ${(e as Error).message}`, { cause: e }))]));
      msgs[0].term();
      return { messages: 1, inserted: 0, duplicates: 0, errors: 1 };
    }
    const total: BatchResult = { messages: 0, inserted: 0, duplicates: 0, errors: 0 };
    for (const m of msgs) {
      const one = await ingestBatch(db, [m], hooks);
      total.messages += one.messages;
      total.inserted += one.inserted;
      total.duplicates += one.duplicates;
      total.errors += one.errors;
    }
    return total;
  }
}
