/**
 * `hmskort gate --holder-read` (issue 18 part 1): turns on the Gate's holder read after the
 * decision (src/gate/holderRead.ts, docs/gate.md "Holder data after the decision") so that the
 * outbox's events carry the holder's name, birth date and employer's name (src/fleet/outbox.ts
 * attach) and the site's daily list has no missing names.
 *
 * - Signatures verify against the keys file's `publicKeys`, as `card verify` and `card read` do
 *   (src/cli/cardDump.ts): a signed card without its issuer key there gives no holder (UNKNOWN_KEY).
 * - `known`: the card numbers whose holder fields this gate already put into an event (the
 *   outbox's 'holder-attached': a read that ended after the outbox's holderWaitMs, its event
 *   already written without the fields, does not count), so a known card costs no extra card
 *   commands and a card whose name came too late is read again at its next tap. Bounded at KNOWN_MAX entries,
 *   oldest first out (a Set keeps insertion order; a card read again goes to the end): a gate
 *   process that sees more cards than that re-reads the oldest once, never grows without bound.
 *   A restarted gate knows nothing and reads each card once more.
 * - Only with --outbox or --events: the fields go nowhere else (the decision line is printed
 *   before the read), so a gate without them would spend air time on nothing (usage error, exit 2).
 */
import type { EventEmitter } from 'node:events';
import { UsageError } from '../command.js';
import type { Gate } from '../../gate/gate.js';
import type { GateHolderEvent, HolderReadOptions, HolderStats } from '../../gate/holderRead.js';
import type { PublicKeys } from '../../card/signature.js';

export const KNOWN_MAX = 100_000;

/** Card numbers whose holder was read and verified: a Set bounded at `max`, oldest out first. */
export class KnownCards {
  private readonly cards = new Set<string>();
  constructor(private readonly max = KNOWN_MAX) {}

  has(cardNumber: string): boolean {
    return this.cards.has(cardNumber);
  }

  add(cardNumber: string): void {
    this.cards.delete(cardNumber);
    this.cards.add(cardNumber);
    if (this.cards.size > this.max) this.cards.delete(this.cards.values().next().value!);
  }

  get size(): number {
    return this.cards.size;
  }
}

/** The Gate option for --holder-read, or undefined without it; checks that events go somewhere. */
export function holderReadOption(on: boolean | undefined, eventsGoSomewhere: boolean, publicKeys: PublicKeys, known: KnownCards): HolderReadOptions | undefined {
  if (!on) return undefined;
  if (!eventsGoSomewhere) throw new UsageError('--holder-read needs --outbox or --events: the holder fields go only into the events');
  return { known: (n) => known.has(n), publicKeys };
}

/** What `gate --json` prints for a holder read: one line after its decision's line. */
export function holderJson(h: GateHolderEvent): string {
  return JSON.stringify({ holderRead: { uid: h.uid, cardNumber: h.cardNumber, attached: h.holder !== undefined, ms: h.ms, operations: h.operations, ...(h.error !== undefined ? { error: h.error } : {}) } });
}

/** The human line of a holder read. */
export function holderLine(h: GateHolderEvent): string {
  const what = h.holder !== undefined ? 'attached' : `not attached (${h.error ?? 'unknown'})`;
  return `HOLDER ${what} card ${h.cardNumber} uid ${h.uid} (${h.ms} ms, ${h.operations} card operations)`;
}

/**
 * Wires --holder-read: prints each holder read of `gate`, and fills `known` from the holder fields
 * `outbox` put into events (EventOutbox 'holder-attached'), not from the reads themselves.
 */
export function wireHolderRead(gate: Gate, outbox: EventEmitter, known: KnownCards, json: boolean, print: (line: string) => void): void {
  gate.on('holder', (h: GateHolderEvent) => print(json ? holderJson(h) : holderLine(h)));
  outbox.on('holder-attached', (h: GateHolderEvent) => known.add(h.cardNumber));
}

/** The stop line of the counters (stdout with --json, stderr otherwise). */
export function holderStatsLine(s: HolderStats, json: boolean): string {
  if (json) return JSON.stringify({ holderStats: s });
  return `holder reads: ${s.reads} read, ${s.verified} verified, ${s.known} known (skipped), ${s.cardErrors} card left or failed, ${s.invalid} invalid`;
}
