/**
 * Helpers for the fleet tests: cards whose gate block carries a given card number (encoded by the
 * library's own record encoder, spec section 2), and a bounded wait on a condition.
 */
import { encodeRecord } from '../../src/codec/record.js';
import { validateHolder } from '../../src/codec/holder.js';
import { toHex } from '../../src/codec/hex.js';
import { waitFor } from '../../src/transport/wait.js';
import { hmskCard, uidOf } from './gateCards.js';
import type { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';

/** A card of number `n`, issue `issue`, expiring 2030-12-31, org 974760673, category construction. */
export function cardOf(n: number, issue = 5): VirtualMifareClassic1K {
  const holder = validateHolder({ category: 'construction', cardNumber: String(n), issue, orgNumber: '974760673', orgName: 'Bygg AS', givenName: 'Kari', familyName: 'Østby', birthDate: '1985-04-17', gender: 'F', expiry: '2030-12-31' });
  return hmskCard(uidOf(n), toHex(encodeRecord(holder).slice(0, 16)));
}

/** Resolves when `cond()` holds (checked every few ms); WaitTimeoutError naming `what` after timeoutMs. */
export function until(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  return waitFor<void>({
    what,
    timeoutMs,
    subscribe: (resolve) => {
      if (cond()) resolve();
      const t = setInterval(() => cond() && resolve(), 2);
      return () => clearInterval(t);
    },
  });
}

/** Resolves when `cond()` (sync or async; a rejection counts as not yet) holds, checked every `everyMs`; WaitTimeoutError naming `what` after timeoutMs. */
export function eventually(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 20): Promise<void> {
  return waitFor<void>({
    what,
    timeoutMs,
    subscribe: (resolve) => {
      const t = setInterval(() => void Promise.resolve().then(cond).then((ok) => ok && resolve(), () => undefined), everyMs);
      return () => clearInterval(t);
    },
  });
}
