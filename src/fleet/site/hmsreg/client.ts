/**
 * One POST to HMSREG's registration API with Node's fetch (undici, built in), a time-out per
 * request, HTTP Basic authentication (RFC 7617: base64 of "user:password" in UTF-8), and the
 * answer sorted into what the caller does next:
 * - `sent`: 2xx (HMSREG answers "queued");
 * - `refused`: 4xx other than 401, 403, 429: this registration is wrong, recorded as failed, never retried;
 * - `auth`: 401/403: the credentials are wrong for every tap, so the run stops;
 * - `retry`: HMSREG answered that it did not take it (5xx, 429), or the request surely never left
 *   (leftWire.ts: refused, no such host, TLS handshake, connect time-out); `retryAfterMs` from
 *   Retry-After (RFC 9110 § 10.2.3: delay-seconds or an HTTP-date);
 * - `unknown`: no answer after the request may have reached HMSREG (a time-out, the connection
 *   closed or reset after the request was written, a 5xx/429 whose body was cut): HMSREG may hold
 *   it, so the caller never sends it again by itself (docs/site.md "HMSREG export").
 * Each request carries `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header-07 § 2: an Item
 * Structured Header whose value is a String, RFC 8941 § 3.3.3), stable per tap: HMSREG documents no
 * such key, but a server that honours the draft answers a repeat with the first result.
 * The password lives only in the Authorization header: it is never part of an outcome or a message.
 */
import { printable } from '../../../codec/printable.js';
import { causeCode, watchRequest } from './leftWire.js';
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
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'unknown'; reason: string };

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

/** The draft's String value (RFC 8941 § 3.3.3: `"` and `\\` escaped). */
export function idempotencyKey(siteId: string, gateId: string, seq: number): string {
  return `"${`hmskort:${siteId}:${gateId}:${seq}`.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * One attempt. A stop by `signal` (the user) during the request is an outcome like a time-out
 * (`retry` when nothing left, else `unknown`): the caller settles the tap, then stops.
 */
export async function postRegistration(target: HmsregTarget, body: Registration, key: string, signal: AbortSignal): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(target.timeoutMs);
  const watch = watchRequest();
  let res: Response | undefined;
  try {
    res = await fetch(endpointOf(target.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, text/plain', authorization: basicAuth(target.user, target.password), 'idempotency-key': key, ...watch.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'error',
    });
    return classify(res, printable(await res.text(), ANSWER_MAX));
  } catch (e) {
    const why = signal.aborted ? 'stopped' : timeout.aborted ? `no answer within ${target.timeoutMs} ms` : printable(causeText(e), 120);
    // The status line came, its body did not: HMSREG's decision is the status (RFC 9110 § 15).
    if (res !== undefined) return classify(res, `${why} (answer HTTP ${res.status} cut)`);
    return watch.left(e) ? { kind: 'unknown', reason: `${why} after the request went out` } : { kind: 'retry', reason: `${why} (nothing sent)` };
  } finally {
    watch.done();
  }
}

/** What the status of HMSREG's answer decides, whole body or cut (`answer`: its text, or why it was cut). */
function classify(res: Response, answer: string): PostOutcome {
  const status = res.status;
  if (status >= 200 && status < 300) return { kind: 'sent', status, answer };
  if (status === 429 || status >= 500) return { kind: 'retry', reason: `HTTP ${status}${answer ? `: ${answer}` : ''}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
  if (status === 401 || status === 403) return { kind: 'auth', status, answer };
  return { kind: 'refused', status, answer };
}

/** Why a request failed, for the message: the innermost code of the cause chain, else a message. */
function causeText(e: unknown): string {
  const err = e as Error & { cause?: { message?: string } };
  return causeCode(e) ?? err.cause?.message ?? err.message;
}
