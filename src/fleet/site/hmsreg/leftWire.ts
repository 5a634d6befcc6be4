/**
 * Did a request leave this machine? The line between a registration HMSREG may hold (never resent
 * by itself) and one it surely does not (retried). Two sources, both from undici, the HTTP client
 * behind Node's fetch:
 *
 * 1. Its diagnostics channels (undici docs/api/DiagnosticsChannel.md): `undici:request:create` when
 *    fetch hands undici the request, `undici:client:sendHeaders` right before its headers are
 *    written to a connected socket. Created but no sendHeaders: not one byte of it was written, so
 *    whatever ended it (a connect time-out, our own time-out during the connect) it never left.
 *    Checked on Node 20.20 (bundled undici 6): the channel message's `request.headers` is the flat
 *    [name, value, ...] array; older undici gave a "name: value\r\n" string; both are read.
 * 2. The error's cause code, for the failures that happen before a connection exists: `fetch`
 *    rejects with TypeError "fetch failed" whose `cause` is the socket's or resolver's error
 *    (nodejs/undici#2953: cause ECONNREFUSED; #2182: ERR_SOCKET_CONNECTION_TIMEOUT from node:net),
 *    or undici's ConnectTimeoutError UND_ERR_CONNECT_TIMEOUT (undici docs/api/Errors.md) and the
 *    TLS handshake's ERR_SSL_* / ERR_TLS_* / certificate codes.
 *
 * Strict default: when neither says "never left" (a channel that never told us about the request,
 * UND_ERR_SOCKET "other side closed", ECONNRESET, a time-out after sendHeaders, a body cut
 * mid-answer), the request may have reached HMSREG.
 */
import { subscribe } from 'node:diagnostics_channel';

/** Cause codes of failures before any connection existed: nothing was sent. */
const NEVER_LEFT = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
  // TLS handshake failures (node:tls, OpenSSL's verify codes as Node names them).
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_REVOKED',
]);

export function neverLeftCode(code: string | undefined): boolean {
  return code !== undefined && (NEVER_LEFT.has(code) || /^ERR_(SSL|TLS)_/.test(code));
}

/** The innermost `code` of an error's cause chain (fetch's TypeError -> undici's or node's error). */
export function causeCode(e: unknown): string | undefined {
  let code: string | undefined;
  for (let x = e as { code?: unknown; cause?: unknown } | undefined, i = 0; x && i < 5; x = x.cause as typeof x, i++) {
    if (typeof x.code === 'string') code = x.code;
  }
  return code;
}

interface Watch {
  created: boolean;
  headersSent: boolean;
}

const HEADER = 'x-hmskort-attempt';
const watches = new Map<string, Watch>();
let subscribed = false;
let next = 0;

function headerValue(headers: unknown, name: string): string | undefined {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  } else if (typeof headers === 'string') {
    const m = new RegExp(`(?:^|\\r\\n)${name}: ?([^\\r\\n]*)`, 'i').exec(headers);
    return m?.[1];
  }
  return undefined;
}

function on(flag: keyof Watch) {
  return (message: unknown) => {
    const id = headerValue((message as { request?: { headers?: unknown } })?.request?.headers, HEADER);
    const w = id === undefined ? undefined : watches.get(id);
    if (w) w[flag] = true;
  };
}

/**
 * Watches one request: `headers` gets a per-attempt header to find it in the channel messages;
 * `left()` answers after the request ended; `done()` forgets it.
 */
export function watchRequest(): { headers: Record<string, string>; left(cause: unknown): boolean; done(): void } {
  if (!subscribed) {
    subscribe('undici:request:create', on('created'));
    subscribe('undici:client:sendHeaders', on('headersSent'));
    subscribed = true;
  }
  const id = `${process.pid}.${++next}`;
  const w: Watch = { created: false, headersSent: false };
  watches.set(id, w);
  return {
    headers: { [HEADER]: id },
    left: (cause) => w.headersSent || !(w.created || neverLeftCode(causeCode(cause))),
    done: () => void watches.delete(id),
  };
}
