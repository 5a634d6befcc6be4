/**
 * The fleet's two contracts (issue 17): how a hot list reaches a gate (HotlistFeed) and how a tap
 * leaves it (EventSink). Pure types: the in-memory, NATS JetStream, PostgreSQL and PGlite
 * implementations live beside this file and are tested against the same contract.
 *
 * Why this shape: access-control fleets decide locally from a synced list and queue their events
 * (at-least-once delivery, idempotent stores). A snapshot at a revision plus ordered deltas is what
 * a KV bucket with history gives (revision = the bucket stream's sequence); (site, gateId, seq) is the
 * idempotency key the stores enforce with a unique constraint (gate ids are unique within a site
 * only: two sites may each have a gate `south`; store migration 4).
 */
import type { HotlistStatus } from '../codec/hotlistEntry.js';
import type { GateDecisionEvent } from '../gate/gate.js';

/** One hot-listed card number as the feed carries it. */
export interface FeedEntry {
  /** 12 digits (spec section 1). */
  cardNumber: string;
  status: HotlistStatus;
  /** Lowest issue NOT listed (spec section 7 rule 3); absent: every issue is listed. */
  minIssue?: number;
  /**
   * The card's expiry (YYYY-MM-DD): once past, the gate refuses the card as expired anyway, so the
   * entry may be pruned from the feed.
   */
  expiry: string;
}

/** A change to the list at one revision; revisions strictly increase along the feed. */
export type FeedDelta =
  | { op: 'put'; revision: number; entry: FeedEntry }
  | { op: 'remove'; revision: number; cardNumber: string };

/** The whole list as of one revision. */
export interface FeedSnapshot {
  revision: number;
  /** When the snapshot was taken (ISO 8601, UTC). */
  takenAt: string;
  entries: readonly FeedEntry[];
}

/**
 * Where a gate's hot list comes from. A follower loads `snapshot()`, then `watch(snapshot.revision)`;
 * when the deltas after a revision are no longer kept (purged history), watch fails with
 * FeedGapError and the follower loads a new snapshot (full resync).
 */
export interface HotlistFeed {
  snapshot(signal?: AbortSignal): Promise<FeedSnapshot>;
  /**
   * Delivers every delta with revision > `afterRevision`, in order, then each new one as it comes,
   * until `signal` aborts. `onDelta` is called synchronously per delta; `onCaughtUp` once the deltas
   * that existed at the call have been delivered.
   */
  watch(afterRevision: number, handlers: { onDelta(d: FeedDelta): void; onCaughtUp?(revision: number): void }, signal: AbortSignal): Promise<void>;
}

/** A tap as the fleet stores it: the gate's decision event plus where and when in the gate's order. */
export interface PresenceEvent {
  gateId: string;
  site: string;
  /** Per gate, from 1, without gaps: (site, gateId, seq) is the idempotency key. */
  seq: number;
  /** The hot-list revision the decision was made with (0: no feed). */
  hotlistRevision: number;
  /**
   * True when the list was older than the policy's maxHotlistAgeHours; the decision says what the
   * policy did (reason `hotlist-stale` with staleHotlist 'deny', the rules' own with 'allow-flagged').
   */
  staleHotlist?: boolean;
  /**
   * How old the gate's hot list was when it decided, in ms since its last snapshot, delta or
   * caught-up signal (HotlistFollower.ageMs); absent without a feed (issue 18 part 5: the site page).
   */
  hotlistAgeMs?: number;
  decision: Omit<GateDecisionEvent, 'timings'>;
  /**
   * The holder fields the gate read and verified after the decision (issue 18 part 1; spec
   * sections 1, 2 and 5), when the card stayed in the field long enough and the site did not hold
   * them yet. Absent: the gate-block fields only.
   */
  holder?: { name: string; birthDate: string; orgName: string };
}

/**
 * Where events go. `append` resolves once the events are durable at the sink; delivery is at least
 * once (a retry may repeat events), so sinks ignore an event whose (site, gateId, seq) they already hold.
 */
export interface EventSink {
  append(events: readonly PresenceEvent[], signal?: AbortSignal): Promise<void>;
}
