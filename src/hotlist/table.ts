/**
 * The hot-list table (spec section 7 rule 3): open addressing with linear probing over ONE
 * Float64Array. A slot holds `cardNumber * 512 + minIssue` (card numbers < 2^40, so the product
 * stays below 2^49, exact in a double); 0 marks an empty slot (card numbers start at 1). minIssue is
 * the lowest issue number that is NOT hot-listed: 256 = every issue (an entry without minIssue);
 * with several entries for one number the highest wins.
 *
 * Why one array: a lookup in a million-entry table is a cache miss on a random slot; keeping the
 * value in the key's slot makes it one miss instead of two (measured: 200 -> about 120 ns per lookup
 * on a loaded 2-core machine). The table is at most half full: 1 000 000 entries use 2^21 slots =
 * 16 MiB, outside the JS heap.
 */
import { ALL_ISSUES, NOT_LISTED, type HotlistLookup } from '../codec/gateDecision.js';
import { CARD_NUMBER_RANGE, MIN_ISSUE_RANGE, isCardNumberValue, isMinIssue } from '../codec/hotlistEntry.js';
import { needInteger } from '../codec/guard.js';
import type { ErrorKind } from '../codec/errors.js';
/**
 * An entry Hotlist.add refuses, in the entry rules' words (codec/hotlistEntry.ts): kind data, so the
 * CLI reports bad input (exit 3), never "internal error". Still a RangeError, as before.
 */
export class HotlistEntryError extends RangeError {
  override readonly name = 'HotlistEntryError';
  readonly code = 'INVALID_HOTLIST_ENTRY';
  constructor(
    readonly field: 'cardNumber' | 'minIssue',
    message: string,
  ) {
    super(message);
  }
  get kind(): ErrorKind {
    return 'data';
  }
}

const TWO_32 = 4294967296;
const SHIFT = 512;

/** Slot of a card number: a multiplicative hash of its low and high 32-bit words. */
function hash(n: number): number {
  const lo = n >>> 0;
  const hi = (n / TWO_32) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class Hotlist implements HotlistLookup {
  private slots: Float64Array;
  private mask: number;
  private count = 0;

  /** `expected`: a size hint (the table grows when needed). */
  constructor(expected = 16) {
    needInteger('Hotlist', 'expected', expected, 0, 2 ** 26);
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Float64Array(cap);
    this.mask = cap - 1;
  }

  /** Distinct card numbers listed. */
  get size(): number {
    return this.count;
  }

  /** Bytes held by the table (a typed array, outside the JS heap). */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /**
   * Adds an entry (the rules of codec/hotlistEntry.ts); `minIssue` undefined lists every issue of the
   * number, as does ALL_ISSUES (256), the lookup's own value for it.
   */
  add(cardNumber: number, minIssue?: number): void {
    if (!isCardNumberValue(cardNumber)) throw new HotlistEntryError('cardNumber', `card number ${cardNumber} out of range (it is not ${CARD_NUMBER_RANGE})`);
    const v = minIssue === undefined ? ALL_ISSUES : minIssue;
    if (!(isMinIssue(v) || v === ALL_ISSUES)) throw new HotlistEntryError('minIssue', `minIssue ${minIssue} out of range (it is not ${MIN_ISSUE_RANGE}, or ${ALL_ISSUES} for every issue)`);
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    this.put(cardNumber, v);
  }

  private put(cardNumber: number, v: number): void {
    const slots = this.slots;
    let i = hash(cardNumber) & this.mask;
    for (;;) {
      const k = slots[i];
      if (k === 0) {
        slots[i] = cardNumber * SHIFT + v;
        this.count++;
        return;
      }
      const c = Math.floor(k / SHIFT);
      if (c === cardNumber) {
        if (v > k - c * SHIFT) slots[i] = cardNumber * SHIFT + v;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    this.count = 0;
    for (let j = 0; j < old.length; j++) {
      const k = old[j];
      if (k !== 0) {
        const c = Math.floor(k / SHIFT);
        this.put(c, k - c * SHIFT);
      }
    }
  }

  /**
   * Removes the number's entry; false when it was not listed. Backward-shift deletion (Knuth, TAOCP
   * vol. 3, 6.4 Algorithm R, "deletion with linear probing"), not a tombstone: the slots after the
   * hole are walked up to the next empty one and an entry moves back into the hole when its home
   * slot does not lie cyclically in (hole, its slot] - Knuth's R3 test with the probe running
   * upwards here, downwards there. So lookups stay exact and no tombstone ever lengthens a probe.
   */
  delete(cardNumber: number): boolean {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(cardNumber) & mask;
    for (;;) {
      const k = slots[i];
      if (k === 0) return false;
      if (Math.floor(k / SHIFT) === cardNumber) break;
      i = (i + 1) & mask;
    }
    let hole = i; // R1: empty the slot
    slots[hole] = 0;
    this.count--;
    for (;;) {
      i = (i + 1) & mask; // R2 (upwards)
      const k = slots[i];
      if (k === 0) return true; // R3: an empty slot ends the cluster
      const home = hash(Math.floor(k / SHIFT)) & mask;
      // R3: home in (hole, i] cyclically -> the entry is still reachable, leave it.
      if (((i - home) & mask) < ((i - hole) & mask)) continue;
      slots[hole] = k; // R4: move it back, its old slot is the new hole
      slots[i] = 0;
      hole = i;
    }
  }

  /** Section 7 rule 3: a card of this number is hot-listed iff its issue < minIssueOf(number). No allocation. */
  minIssueOf(cardNumber: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let i = hash(cardNumber) & mask;
    for (;;) {
      const k = slots[i];
      if (k === 0) return NOT_LISTED;
      const c = Math.floor(k / SHIFT);
      if (c === cardNumber) return k - c * SHIFT;
      i = (i + 1) & mask;
    }
  }

  /** True when a card with this number and issue is hot-listed. */
  has(cardNumber: number, issue: number): boolean {
    return issue < this.minIssueOf(cardNumber);
  }
}
