/**
 * `hmskort/fleet`: gate fleets (issue 17). The contracts (a hot-list feed in, presence events out),
 * the gate side (a follower that keeps a gate's list in step with a feed, an outbox that delivers
 * its decisions to an event sink) and in-memory feed and sink for tests. The snapshot of these names
 * is test/unit/project/exports.test.ts.
 */
export type { EventSink, FeedDelta, FeedEntry, FeedSnapshot, HotlistFeed, PresenceEvent } from './contracts.js';
export { FeedGapError, FleetError, type FleetErrorCode } from './errors.js';
export { checkFeedDelta, checkFeedEntry, feedEntryProblem, type CheckedEntry } from './feedEntry.js';
export { HotlistFollower, type FollowerState, type FollowerStats, type HotlistFollowerOptions } from './follower.js';
export { MemoryHotlistFeed, type FeedChange } from './memoryFeed.js';
export { MemoryEventSink } from './memorySink.js';
export { EventOutbox, type EventOutboxOptions, type OutboxStats } from './outbox.js';
export type { DeliveryOptions } from './outboxDelivery.js';
// The SQL event store (PostgreSQL or PGlite, one schema): the drivers load when a store is opened.
export { SqlEventSink } from './store/sqlEventSink.js';
export { openEventStore } from './store/open.js';
export { StoreError, type StoreErrorCode } from './store/errors.js';
export type { SqlDb, SqlQueryable, SqlResult } from './store/db.js';
export type { InsertResult } from './store/events.js';
// The site's daily list (issue 18).
export { loadSiteConfig, parseSiteConfig, type Company, type HiredWorkersRule, type SiteConfig } from './site/config.js';
export { SiteError, type SiteErrorCode } from './site/errors.js';
export { dailyList, type DailyList, type ListWorker } from './site/dailyList.js';
export { addManualWorker, deleteManualWorker, endManualWorker, listManualWorkers, type ManualWorker, type ManualWorkerRow } from './site/manualWorkers.js';
export { pruneSite, type PruneResult } from './site/prune.js';
export { listCsv, listJson } from './site/format.js';
