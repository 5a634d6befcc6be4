/**
 * Presence events for the fleet store's tests (src/fleet/contracts.ts PresenceEvent): what a gate
 * would send for a tap, one per (gate, seq), with a plausible card (spec section 1: 12-digit card
 * number, 9-digit organisation number) and the instant derived from the sequence, so a test can
 * predict every stored column from the key alone.
 */
import type { PresenceEvent } from '../../src/fleet/contracts.js';

const BASE_MS = Date.UTC(2026, 11, 3, 6, 0, 0);

export function presenceEvent(gateId: string, seq: number, site = 'site1', over: Partial<PresenceEvent> = {}): PresenceEvent {
  const allow = seq % 5 !== 0;
  return {
    gateId,
    site,
    seq,
    hotlistRevision: 100 + seq,
    ...(seq % 7 === 0 ? { staleHotlist: true } : {}),
    decision: {
      allow,
      reason: allow ? 'ok' : 'hotlisted',
      uid: (0x04a1b2c3 + seq).toString(16).padStart(8, '0'),
      at: new Date(BASE_MS + seq * 1000).toISOString(),
      cardNumber: String(700_000_000_000 + seq),
      orgNumber: '974760673',
      category: 'construction',
      expiry: '2027-05-31',
      issue: 1 + (seq % 3),
    },
    ...over,
  };
}

/** Events 1..count of each gate. */
export function presenceEvents(gates: readonly string[], count: number, site = 'site1'): PresenceEvent[] {
  return gates.flatMap((g) => Array.from({ length: count }, (_, i) => presenceEvent(g, i + 1, site)));
}

export function eventBytes(e: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(e));
}
