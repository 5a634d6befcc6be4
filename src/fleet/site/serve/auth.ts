/**
 * The site page's access token (issue 18 part 5): every request carries it as
 * `Authorization: Bearer TOKEN` (RFC 6750 section 2.1) or in the cookie a first `?token=` load sets.
 * The cookie is HttpOnly (no script reads it) and SameSite=Strict (no other site's page sends it;
 * RFC 6265bis section 4.1.2.7). Tokens are compared in constant time: both sides are hashed to 32
 * bytes first, so timingSafeEqual gets equal lengths and the length of the token does not leak.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const COOKIE = 'hmskort_site';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token the request presents in its Authorization header or cookie, if any. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (m) return m[1];
  const c = cookieValue(req.headers.cookie, COOKIE);
  if (c === undefined) return undefined;
  // A malformed escape (`%E0%A4%A`) makes decodeURIComponent throw URIError: such a cookie is no
  // token (401), not a server error (500).
  try {
    return decodeURIComponent(c);
  } catch {
    return undefined;
  }
}

/** The Set-Cookie value that carries the token for the rest of the session. */
export function tokenCookie(token: string): string {
  return `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}
