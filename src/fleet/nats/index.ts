/**
 * The fleet on NATS JetStream (issue 17 part 3): the hot-list feed (KV bucket + snapshot object),
 * its publisher, the event sink, the gates' status reports and a site's leaf-node copy. Proposed
 * entry point `hmskort/fleet/nats` (kept apart from `hmskort/fleet` so that importing the contracts
 * and the in-memory feed never loads the NATS clients).
 */
export { NatsHotlistFeed, type NatsHotlistFeedOptions, type SnapshotInfo } from './feed.js';
export { publishHotlist, publishEntries, writeSnapshot, type PublishOptions, type PublishResult } from './publish.js';
export { readHotlistEntries, NO_EXPIRY } from './hotlistFile.js';
export { NatsEventSink, type NatsEventSinkOptions } from './eventSink.js';
export { gateReporter, readGateReports, type GateReport } from './gates.js';
export { hotlistStatus, formatHotlistStatus, type HotlistStatusReport } from './status.js';
export { mirrorHotlistToSite } from './siteMirror.js';
export { connectNats, parseNatsUrl, type NatsTarget } from './connect.js';
export { NatsFleetError, type NatsFleetErrorCode } from './errors.js';
export { DEFAULT_BUCKET, EVENTS_STREAM, GATES_BUCKET } from './names.js';
