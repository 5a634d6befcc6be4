/**
 * Retry pacing shared by the follower (feed errors) and the outbox (sink errors): a delay that
 * doubles from a minimum to a maximum, each wait drawn between half of it and all of it ("equal
 * jitter", AWS Architecture Blog, "Exponential Backoff And Jitter", 2015), so a fleet that lost its
 * server does not come back to it at the same instant.
 */
import { pause } from '../transport/wait.js';

export class Backoff {
  private step: number;
  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.step = minMs;
  }

  /** Waits the next delay (less when `signal` aborts: then it resolves, the caller checks the signal). */
  async wait(signal: AbortSignal): Promise<void> {
    const ms = this.step * (0.5 + Math.random() / 2);
    this.step = Math.min(this.step * 2, this.maxMs);
    await pause(ms, signal);
  }

  /** After a success: the next failure waits the minimum again. */
  reset(): void {
    this.step = this.minMs;
  }
}
