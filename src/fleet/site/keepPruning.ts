/**
 * Retention while the site page runs (issue 18 part 4, `site serve --prune-daily`): a PGlite
 * directory is one process's at a time (src/fleet/store/dirLock.ts), so while `site serve` holds
 * it a nightly `site prune` is refused; the page's process prunes instead, at start and then every
 * `everyMs` (a day), on the store it serves. The same pruneSite as `site prune`, one transaction
 * each time; a failure is reported and tried again after `retryMs`, never ends the page.
 */
import type { SqlDb } from '../store/db.js';
import { pause } from '../../transport/wait.js';
import type { SiteConfig } from './config.js';
import { pruneSite, type PruneResult } from './prune.js';

export interface KeepPruningOptions {
  db: SqlDb;
  cfg: SiteConfig;
  signal: AbortSignal;
  onResult(r: PruneResult): void;
  onError(e: Error, retryMs: number): void;
  /** Between two prunes; default one day. */
  everyMs?: number;
  /** After a failed prune; default one hour. */
  retryMs?: number;
  now?: () => Date;
}

export const PRUNE_EVERY_MS = 86_400_000;
const RETRY_MS = 3_600_000;

/** Prunes until `signal` aborts; resolves then (a prune in hand finishes first). */
export async function keepPruning(o: KeepPruningOptions): Promise<void> {
  const everyMs = o.everyMs ?? PRUNE_EVERY_MS;
  const retryMs = o.retryMs ?? RETRY_MS;
  const now = o.now ?? (() => new Date());
  while (!o.signal.aborted) {
    let wait = everyMs;
    try {
      o.onResult(await pruneSite(o.db, o.cfg, now()));
    } catch (e) {
      // A page stopped mid-prune: its store closing is not a failure to report.
      if (o.signal.aborted) return;
      wait = retryMs;
      o.onError(e as Error, retryMs);
    }
    await pause(wait, o.signal);
  }
}
