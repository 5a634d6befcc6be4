/**
 * One POST to HMSREG's registration API with Node's fetch (undici, built in), a time-out per
 * request, HTTP Basic authentication (RFC 7617: base64 of "user:password" in UTF-8), and the
 * answer sorted into what the caller does next:
 * - `sent`: 2xx (HMSREG answers "queued");
 * - `refused`: 4xx other than 401, 403, 429: this registration is wrong, recorded as failed, never retried;
 * - `auth`: 401/403: the credentials are wrong for every tap, so the run stops;
 * - `retry`: 5xx, 429, a network error or the time-out; `retryAfterMs` from Retry-After (RFC 9110 § 10.2.3:
 *   delay-seconds or an HTTP-date).
 * The password lives only in the Authorization header: it is never part of an outcome or a message.
 */
import { printable } from '../../../codec/printable.js';
import type { Registration } from './registration.js';

export interface HmsregTarget {
  /** The base URL; registrations go to `{url}/api/registreringer`. */
  url: string;
  user: string;
  password: string;
  /** Time-out of one request, answer included. */
  timeoutMs: number;
}

export type PostOutcome =
  | { kind: 'sent'; status: number; answer: string }
  | { kind: 'refused'; status: number; answer: string }
  | { kind: 'auth'; status: number; answer: string }
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

/** Longest answer kept (in the store and messages). */
const ANSWER_MAX = 500;

export function endpointOf(url: string): string {
  return `${url.replace(/\/+$/, '')}/api/registreringer`;
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** Retry-After as milliseconds from `now`, or undefined when absent or malformed. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const v = header.trim();
  if (/^[0-9]+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export async function postRegistration(target: HmsregTarget, body: Registration, signal: AbortSignal): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(target.timeoutMs);
  let res: Response;
  let answer: string;
  try {
    res = await fetch(endpointOf(target.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain', authorization: basicAuth(target.user, target.password) },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'error',
    });
    answer = printable(await res.text(), ANSWER_MAX);
  } catch (e) {
    if (signal.aborted) throw e; // stopped by the user: not a failure of HMSREG
    if (timeout.aborted) return { kind: 'retry', reason: `no answer within ${target.timeoutMs} ms` };
    const err = e as Error & { cause?: { code?: string; message?: string } };
    return { kind: 'retry', reason: printable(err.cause?.code ?? err.cause?.message ?? err.message, 120) };
  }
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: 'sent', status, answer };
  if (status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}${answer ? `: ${answer}` : ''}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
  if (status === 401 || status === 403) return { kind: 'auth', status, answer };
  return { kind: 'refused', status, answer };
}
