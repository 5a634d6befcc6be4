/**
 * Issue 18 part 4: raw tap events (which carry holder names and birth dates) are kept "for a
 * shorter configurable time (default 30 days)". The one default, for the site's store
 * (`rawEventRetentionDays`, src/fleet/site/config.ts) and for the events stream on NATS
 * (`max_age`, src/fleet/nats/eventsStream.ts).
 */
export const RAW_EVENT_RETENTION_DAYS = 30;
