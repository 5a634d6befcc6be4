/**
 * Writing tracks 1 and 2 of a holder on a serial MSR206/605 encoder, for `hmskort batch --stripe`.
 * PLACEHOLDER until the stripe driver lands.
 */
import type { ValidHolder } from '../codec/holder.js';

export async function writeStripe(port: string, holder: ValidHolder): Promise<void> {
  void holder;
  throw new Error(`stripe encoder on ${port}: driver not available yet`);
}
