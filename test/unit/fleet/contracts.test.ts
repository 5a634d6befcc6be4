/**
 * The in-memory feed and sink against the contract suites (test/helpers/fleetContracts.ts), the
 * same suites the NATS, PostgreSQL and PGlite implementations run.
 */
import { eventSinkContract, hotlistFeedContract } from '../../helpers/fleetContracts.js';
import { MemoryHotlistFeed } from '../../../src/fleet/memoryFeed.js';
import { MemoryEventSink } from '../../../src/fleet/memorySink.js';

hotlistFeedContract('MemoryHotlistFeed', async () => {
  const feed = new MemoryHotlistFeed();
  return { feed, publish: async (c) => feed.publish(c), purge: async () => feed.purgeHistory(), close: async () => {} };
});

eventSinkContract('MemoryEventSink', async () => {
  const sink = new MemoryEventSink();
  return { sink, read: async (g) => sink.eventsOf(g), close: async () => {} };
});
