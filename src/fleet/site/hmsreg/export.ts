/**
 * `site export --hmsreg`: every allowed tap of the site, one registration each, oldest first,
 * each recorded in `hmsreg_sent` (migration 3) right after HMSREG's answer, so the next run sends
 * only the rest. A process killed between HMSREG's answer and the record sends that one
 * registration again on the next run: at most one registration twice per crash (HMSREG documents
 * no idempotency key we could use; docs/site.md).
 *
 * Retries (client.ts sorts the answers): 5xx, 429, network errors and time-outs are retried after
 * Retry-After when the server sends one (capped), else after an exponential backoff with jitter;
 * after `maxAttempts` the run stops with HMSREG_UNREACHABLE and the tap stays unsent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SqlDb } from '../../store/db.js';
import type { SiteConfig } from '../config.js';
import { SiteError } from '../errors.js';
import { postRegistration, type HmsregTarget } from './client.js';
import { countPending, pendingTaps, recordSent, registrationOf } from './registration.js';

export interface ExportProgress {
  /** Taps without a record when the run started. */
  total: number;
  sent: number;
  /** Refused by HMSREG (4xx): recorded as failed with its answer. */
  failed: number;
  retries: number;
  elapsedMs: number;
}

export interface ExportOptions {
  signal: AbortSignal;
  maxAttempts?: number;
  /** First backoff; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  onProgress?: (p: ExportProgress) => void;
  progressEveryMs?: number;
  /** Told of each retry (reason has no secret: client.ts). */
  onRetry?: (reason: string, delayMs: number) => void;
}

const PAGE = 200;

export function formatExportProgress(p: ExportProgress): string {
  return `hmsreg: ${p.sent + p.failed}/${p.total} (${p.sent} sent, ${p.failed} refused), ${p.retries} ${p.retries === 1 ? 'retry' : 'retries'}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

export async function exportToHmsreg(db: SqlDb, cfg: SiteConfig, target: HmsregTarget, opts: ExportOptions): Promise<ExportProgress> {
  const { hmsregNumber } = cfg;
  if (hmsregNumber === undefined) throw new SiteError('NO_HMSREG_NUMBER', `the site configuration of ${cfg.siteId} has no "hmsregNumber" (the site's HMSREG number, sent as HmsRegnr)`, { field: 'hmsregNumber' });
  const site = { ...cfg, hmsregNumber };
  const maxAttempts = opts.maxAttempts ?? 8;
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 60_000;
  const start = performance.now();
  const p: ExportProgress = { total: await countPending(db, cfg.siteId), sent: 0, failed: 0, retries: 0, elapsedMs: 0 };
  const snapshot = () => ({ ...p, elapsedMs: performance.now() - start });
  let lastReport = performance.now();
  for (;;) {
    const page = await pendingTaps(db, cfg.siteId, PAGE);
    if (page.length === 0) break;
    for (const tap of page) {
      for (let attempt = 1; ; attempt++) {
        const out = await postRegistration(target, registrationOf(site, tap), opts.signal);
        if (out.kind === 'sent' || out.kind === 'refused') {
          await recordSent(db, cfg.siteId, tap, out.kind === 'sent' ? 'sent' : 'failed', out.status, out.answer);
          if (out.kind === 'sent') p.sent++;
          else p.failed++;
          break;
        }
        if (out.kind === 'auth') throw new SiteError('HMSREG_AUTH', `HMSREG refused the credentials of user ${JSON.stringify(target.user)} (HTTP ${out.status}${out.answer ? `: ${out.answer}` : ''}); nothing more sent`);
        if (attempt >= maxAttempts) throw new SiteError('HMSREG_UNREACHABLE', `HMSREG: ${out.reason}, ${maxAttempts} attempts for the tap ${tap.gate_id}#${tap.seq}; ${p.total - p.sent - p.failed} tap(s) left for the next run`);
        const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        const delay = out.retryAfterMs === undefined ? backoff : Math.min(cap, out.retryAfterMs);
        p.retries++;
        opts.onRetry?.(out.reason, delay);
        await sleep(delay, undefined, { signal: opts.signal });
      }
      if (opts.onProgress && performance.now() - lastReport >= (opts.progressEveryMs ?? 1000)) {
        lastReport = performance.now();
        opts.onProgress(snapshot());
      }
    }
  }
  return snapshot();
}
