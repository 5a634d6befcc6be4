/**
 * `site export --hmsreg`: every allowed tap of the site, one registration each, oldest first, at
 * most once (issue 18: "nothing is sent twice"; HMSREG documents no idempotency key, docs/site.md).
 * Each tap is claimed `sending` in `hmsreg_sent` and committed before its POST, and settled after
 * (ledger.ts). A registration whose answer never came (client.ts `unknown`) and a `sending` row a
 * crashed run left are `unknown`: in doubt, never sent again by itself, counted in the progress and
 * the result so the operator settles them (docs/site.md "HMSREG export").
 *
 * Retries (client.ts sorts the answers): 5xx, 429 and requests that surely never left are retried
 * after Retry-After when the server sends one (capped), else after an exponential backoff with
 * jitter; after `maxAttempts` the run stops with HMSREG_UNREACHABLE and the tap stays pending.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlDb } from '../../store/db.js';
import type { SiteConfig } from '../config.js';
import { SiteError } from '../errors.js';
import { idempotencyKey, postRegistration, type HmsregTarget } from './client.js';
import { claim, claimUnknown, countUnknown, reclaimCrashed, release, settle } from './ledger.js';
import { countPending, pendingTaps, registrationOf, type PendingTap } from './registration.js';

export interface ExportProgress {
  /** Taps without a record when the run started (plus, with `resendUnknown`, those in doubt). */
  total: number;
  sent: number;
  /** Refused by HMSREG (4xx): recorded as failed with its answer. */
  failed: number;
  /** Sent by this run without an answer: in doubt. */
  unknown: number;
  /** All the site's taps in doubt now (earlier runs' and a crashed run's included). */
  inDoubt: number;
  retries: number;
  elapsedMs: number;
}

export interface ExportOptions {
  signal: AbortSignal;
  maxAttempts?: number;
  /** First backoff; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Sends the taps in doubt once more, deliberately, before the pending ones. */
  resendUnknown?: boolean;
  onProgress?: (p: ExportProgress) => void;
  progressEveryMs?: number;
  /** Told of each retry (reason has no secret: client.ts). */
  onRetry?: (reason: string, delayMs: number) => void;
}

const PAGE = 200;

export function formatExportProgress(p: ExportProgress): string {
  return `hmsreg: ${p.sent + p.failed + p.unknown}/${p.total} (${p.sent} sent, ${p.failed} refused), ${p.inDoubt} in doubt, ${p.retries} ${p.retries === 1 ? 'retry' : 'retries'}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

export async function exportToHmsreg(db: SqlDb, cfg: SiteConfig, target: HmsregTarget, opts: ExportOptions): Promise<ExportProgress> {
  const { hmsregNumber, siteId } = cfg;
  if (hmsregNumber === undefined) throw new SiteError('NO_HMSREG_NUMBER', `the site configuration of ${siteId} has no "hmsregNumber" (the site's HMSREG number, sent as HmsRegnr)`, { field: 'hmsregNumber' });
  const site = { ...cfg, hmsregNumber };
  const maxAttempts = opts.maxAttempts ?? 8;
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 60_000;
  const start = performance.now();
  await reclaimCrashed(db, siteId);
  const inDoubtBefore = await countUnknown(db, siteId);
  const p: ExportProgress = { total: await countPending(db, siteId) + (opts.resendUnknown ? inDoubtBefore : 0), sent: 0, failed: 0, unknown: 0, inDoubt: inDoubtBefore, retries: 0, elapsedMs: 0 };
  const snapshot = () => ({ ...p, elapsedMs: performance.now() - start });
  let lastReport = performance.now();

  /** One tap, claimed by `take`, until it is settled or released for good. */
  const one = async (tap: PendingTap, inDoubt: boolean) => {
    const take = () => (inDoubt ? claimUnknown(db, siteId, tap) : claim(db, siteId, tap));
    const key = idempotencyKey(siteId, tap.gate_id, tap.seq);
    for (let attempt = 1; ; attempt++) {
      if (!(await take())) return; // another process has it
      const out = await postRegistration(target, registrationOf(site, tap), key, opts.signal);
      if (out.kind === 'sent' || out.kind === 'refused') {
        await settle(db, siteId, tap, out.kind === 'sent' ? 'sent' : 'failed', out.status, out.answer);
        if (out.kind === 'sent') p.sent++;
        else p.failed++;
        return;
      }
      if (out.kind === 'unknown') {
        await settle(db, siteId, tap, 'unknown', null, out.reason);
        p.unknown++;
        opts.signal.throwIfAborted();
        return;
      }
      await release(db, siteId, tap, inDoubt);
      opts.signal.throwIfAborted();
      if (out.kind === 'auth') throw new SiteError('HMSREG_AUTH', `HMSREG refused the credentials of user ${JSON.stringify(target.user)} (HTTP ${out.status}${out.answer ? `: ${out.answer}` : ''}); nothing more sent`);
      if (attempt >= maxAttempts) throw new SiteError('HMSREG_UNREACHABLE', `HMSREG: ${out.reason}, ${maxAttempts} attempts for the tap ${tap.gate_id}#${tap.seq}; ${p.total - p.sent - p.failed - p.unknown} tap(s) left for the next run${p.unknown ? `, ${p.unknown} sent by this run in doubt (--list-unknown)` : ''}`);
      const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      const delay = out.retryAfterMs === undefined ? backoff : Math.min(cap, out.retryAfterMs);
      p.retries++;
      opts.onRetry?.(out.reason, delay);
      await sleep(delay, undefined, { signal: opts.signal });
    }
  };

  if (opts.resendUnknown) {
    // All at once: a tap in doubt again after its resend matches the query again (they are few).
    for (const tap of await pendingTaps(db, siteId, 1_000_000, 'unknown')) await one(tap, true);
  }
  for (;;) {
    const page = await pendingTaps(db, siteId, PAGE);
    if (page.length === 0) break;
    for (const tap of page) {
      await one(tap, false);
      if (opts.onProgress && performance.now() - lastReport >= (opts.progressEveryMs ?? 1000)) {
        lastReport = performance.now();
        p.inDoubt = await countUnknown(db, siteId);
        opts.onProgress(snapshot());
      }
    }
  }
  p.inDoubt = await countUnknown(db, siteId);
  return snapshot();
}
