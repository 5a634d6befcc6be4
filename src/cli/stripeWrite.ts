/**
 * Writing tracks 1 and 2 of a holder (spec section 4) on a serial MSR206/605/606 encoder, with
 * read-back, for `hmskort batch --stripe PORT`. The port is opened per card so a replugged cable
 * or a power-cycled encoder costs one retry, not the batch.
 */
import type { ValidHolder } from '../codec/holder.js';

export async function writeStripe(port: string, holder: ValidHolder, opts: { signal?: AbortSignal; swipeTimeoutMs?: number } = {}): Promise<void> {
  const { openSerialLink } = await import('../drivers/msr/serialportLink.js');
  const { MsrStripeEncoder } = await import('../drivers/msr/stripeEncoder.js');
  const link = await openSerialLink(port);
  const msr = new MsrStripeEncoder(link, { swipeTimeoutMs: opts.swipeTimeoutMs ?? 60_000 });
  try {
    await msr.reset();
    await msr.writeCard(holder, { signal: opts.signal });
  } finally {
    msr.dispose();
    await link.close();
  }
}
