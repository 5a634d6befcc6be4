/**
 * EventSink (src/fleet/contracts.ts) into the SQL store: the "one machine, no server" default of
 * issue 17 (a gate appending straight to a PGlite directory), and the same code over PostgreSQL.
 * `append` resolves after COMMIT; an event already held is skipped, not stored twice, so the gate
 * may re-send its outbox after a crash without counting a tap twice.
 */
import type { EventSink, PresenceEvent } from '../contracts.js';
import { needArray, needFunction, needObject, needString } from '../../codec/guard.js';
import type { SqlDb } from './db.js';
import { eventRow } from './eventShape.js';
import { insertEvents, type InsertResult } from './events.js';
import { openEventStore } from './open.js';

export class SqlEventSink implements EventSink {
  /** Events stored, and events received again (already held), since construction. */
  readonly stats = { stored: 0, duplicates: 0 };

  readonly db: SqlDb;

  constructor(db: SqlDb) {
    needObject('SqlEventSink', 'db', db);
    needFunction('SqlEventSink', 'db.transaction', db.transaction);
    this.db = db;
  }

  /** Opens (and migrates) `target`, a postgres:// URL or a PGlite directory, and returns a sink on it. */
  static async open(target: string, opts: { cwd?: string } = {}): Promise<SqlEventSink> {
    needString('SqlEventSink.open', 'target', target);
    return new SqlEventSink(await openEventStore(target, opts));
  }

  async append(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<void> {
    await this.store(events, signal);
  }

  /**
   * As append, and says which events were new. Every event is checked first: one that is not a
   * PresenceEvent rejects the call (StoreError MALFORMED_EVENT) and nothing is stored.
   */
  async store(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<InsertResult> {
    needArray('SqlEventSink.append', 'events', events);
    signal?.throwIfAborted();
    const rows = events.map((e) => eventRow(e));
    const r = await this.db.transaction((tx) => insertEvents(tx, rows));
    this.stats.stored += r.inserted;
    this.stats.duplicates += r.duplicates;
    return r;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
