/**
 * The holder read after a decision (issue 18 part 1): while the card is still in the field, the
 * gate reads the rest of the record the way a lab's full read does (src/card/readers.ts fullRead:
 * sector 0 with the public MAD key, sectors 1-3 and, for a signed card, 4-5 with keys A derived
 * from the read master) and verifies it in the order of spec section 5 (MAD, record CRC and
 * fields of section 2, signature area and signature). Only a record that verifies gives the
 * site its holder fields: a tampered or torn one gives a code, never a name.
 *
 * Reused, not rewritten: fullRead and verifyCardImage are the same code `hmskort card read` and
 * `card verify` run, so a gate and a lab agree on what a valid card is.
 */
import { performance } from 'node:perf_hooks';
import { fullRead } from '../card/readers.js';
import type { PublicKeys } from '../card/signature.js';
import { CardError, type MifareClassicCard } from '../transport/card.js';
import type { GateDecisionEvent } from './gate.js';

/** The holder fields a presence event carries (src/fleet/contracts.ts PresenceEvent.holder). */
export interface GateHolder {
  /** Given name and family name, one space between (spec section 1: the holder's names). */
  name: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  /** The employer's name as registered. */
  orgName: string;
}

export interface HolderReadOptions {
  /**
   * True when the site already holds this card's holder fields: no extra read. Default: none is
   * known, every decoded card is read. Called on the tap's turn, after the decision: keep it a
   * lookup (a Set's has), not a query.
   */
  known?: (cardNumber: string) => boolean;
  /** Issuer public keys by key id (spec section 5): a signed card verifies only against these. */
  publicKeys?: PublicKeys;
}

/** What came of one holder read. */
export interface HolderReadResult {
  holder?: GateHolder;
  /** Why no holder: a card error (CARD_REMOVED, AUTH_FAILED, ...), the first section 5 check that
   *  failed (BAD_CRC, SIGNATURE_INVALID, UNKNOWN_KEY, ...), or HOLDER_MISMATCH (another card's record). */
  error?: string;
  /** True when `error` is a verification failure (the card answered; its record is not right). */
  invalid: boolean;
  /** Card commands the read took. */
  operations: number;
}

/** Reads and verifies the record of `card`, whose gate block decoded to `cardNumber`. Never rejects. */
export async function readHolderRecord(card: MifareClassicCard, readMaster: Uint8Array, cardNumber: string, publicKeys: PublicKeys = {}): Promise<HolderReadResult> {
  let r;
  try {
    r = await fullRead(card, { readMaster, publicKeys });
  } catch (e) {
    if (e instanceof CardError) return { error: e.code, invalid: false, operations: 0 };
    return { error: 'IO', invalid: false, operations: 0 };
  }
  if (r.error !== undefined || r.holder === undefined) return { error: r.error?.code ?? 'IO', invalid: true, operations: r.operations };
  // The gate block read first and the record read now must be the same card's: a card swapped in
  // the field between the two (same UID is impossible; a re-used reader slot is not) gives no name.
  if (r.holder.cardNumber !== cardNumber) return { error: 'HOLDER_MISMATCH', invalid: true, operations: r.operations };
  const h = r.holder;
  return { holder: { name: `${h.givenName} ${h.familyName}`, birthDate: h.birthDate, orgName: h.orgName }, invalid: false, operations: r.operations };
}

/** The gate's follow-up to a decision: the holder fields of its card, or why there are none. */
export interface GateHolderEvent {
  /** The decision event this follows (the same object the 'decision' listeners got). */
  decision: GateDecisionEvent;
  uid: string;
  cardNumber: string;
  holder?: GateHolder;
  error?: string;
  /** Wall time of the extra read, ms: the card's additional air time at this reader. */
  ms: number;
  operations: number;
}

/** Counters of the holder reads since the gate was made. */
export interface HolderStats {
  /** Reads begun (after their decision event). */
  reads: number;
  /** Skipped: the site already holds the card's holder fields (HolderReadOptions.known). */
  known: number;
  /** Verified, holder fields emitted. */
  verified: number;
  /** The card left or failed first (CARD_REMOVED, AUTH_FAILED, ...): no holder, nothing wrong with it. */
  cardErrors: number;
  /** The record did not verify (bad CRC, bad signature, unknown key, another card's record). */
  invalid: number;
}

/**
 * Runs the holder reads of one gate: begun by follow(), each one after the gate has emitted its
 * decision, so no decision waits for one (the events' order is 'decision', 'holder-start', the
 * extra card commands, 'holder'). Reads in flight are kept so that Gate.stop() can wait for them.
 */
export class HolderReads {
  readonly stats: HolderStats = { reads: 0, known: 0, verified: 0, cardErrors: 0, invalid: 0 };
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly opts: HolderReadOptions,
    private readonly readMaster: Uint8Array,
    private readonly emit: (name: 'holder-start' | 'holder', value: GateDecisionEvent | GateHolderEvent) => void,
    private readonly report: (e: Error) => void,
  ) {}

  /** Called once the decision event has gone to every listener. */
  follow(card: MifareClassicCard, event: GateDecisionEvent): void {
    const cardNumber = event.cardNumber;
    if (cardNumber === undefined) return;
    try {
      if (this.opts.known?.(cardNumber) === true) {
        this.stats.known++;
        return;
      }
    } catch (e) {
      // A failing lookup must not cost the site the name: read as for an unknown card.
      this.report(e as Error);
    }
    this.stats.reads++;
    this.emit('holder-start', event);
    const started = performance.now();
    const p = readHolderRecord(card, this.readMaster, cardNumber, this.opts.publicKeys).then((r) => {
      this.running.delete(p);
      if (r.holder !== undefined) this.stats.verified++;
      else if (r.invalid) this.stats.invalid++;
      else this.stats.cardErrors++;
      const done: GateHolderEvent = { decision: event, uid: event.uid, cardNumber, ms: Math.round((performance.now() - started) * 1000) / 1000, operations: r.operations };
      if (r.holder !== undefined) done.holder = r.holder;
      if (r.error !== undefined) done.error = r.error;
      this.emit('holder', done);
    });
    this.running.add(p);
  }

  /** Resolves when every read begun so far has emitted its 'holder' event. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
