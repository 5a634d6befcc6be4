/**
 * A local stand-in for HMSREG's registration API (issue 18 part 3) on 127.0.0.1, port 0: it checks
 * every request's shape independently of the client (method, path, content type, HTTP Basic
 * credentials decoded here per RFC 7617, each field and its format) and fails requests on purpose
 * as the test's plan says. Two records: `registered` (answered 2xx before the client gave up) and
 * `taken`, what HMSREG would hold: every registration it took, answered or not (`take-hang`: taken,
 * never answered, as a server that queued it and then stalled; `take-reset`: taken, then the
 * connection destroyed). The at-most-once tests count `taken` per Idempotency-Key.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `reset`: the connection destroyed before taking it; `take-*`: taken, then no answer. */
/** `cut`: the status line and part of the body, then the connection destroyed (2xx: taken). */
export type Fault = 'ok' | 'reset' | 'take-hang' | 'take-reset' | { status: number; body?: string; headers?: Record<string, string> } | { delayMs: number } | { cut: number };

export interface Taken {
  /** The Idempotency-Key header as received (undefined: none). */
  key: string | undefined;
  body: Record<string, unknown>;
}

export interface HmsregServer {
  url: string;
  /** Registrations answered 2xx, in order. */
  registered: Record<string, unknown>[];
  /** Registrations taken (answered 2xx, or taken and left unanswered: Fault `take-*`), in order. */
  taken: Taken[];
  /** Every request seen, with the instant it arrived and its Idempotency-Key. */
  requests: { at: number; key: string | undefined; body: Record<string, unknown> | null }[];
  /** How many times each Idempotency-Key was taken. */
  takenPerKey(): Map<string | undefined, number>;
  /** Shape violations found (a test expects none). */
  problems: string[];
  close(): Promise<void>;
}

const FIELDS = ['Kortnr', 'Retning', 'Tidspunkt', 'Navn', 'Orgnr', 'HmsRegnr', 'Kilde', 'Korttype', 'Fødselsdato'];

function check(req: IncomingMessage, body: unknown, want: { user: string; password: string; hmsregNumber: string }): string[] {
  const bad: string[] = [];
  if (req.method !== 'POST') bad.push(`method ${req.method}`);
  if (req.url !== '/api/registreringer') bad.push(`path ${req.url}`);
  if (!/^application\/json(;\s*charset=utf-8)?$/i.test(req.headers['content-type'] ?? '')) bad.push(`content-type ${req.headers['content-type']}`);
  const b = body as Record<string, unknown>;
  if (typeof b !== 'object' || b === null) return [...bad, 'body is not a JSON object'];
  const keys = Object.keys(b).sort();
  if (JSON.stringify(keys) !== JSON.stringify([...FIELDS].sort())) bad.push(`fields ${keys.join(',')}`);
  const is = (k: string, ok: boolean) => void (ok || bad.push(`${k} = ${JSON.stringify(b[k])}`));
  is('Kortnr', typeof b.Kortnr === 'string' && /^[0-9]{12}$/.test(b.Kortnr));
  is('Retning', b.Retning === 'Inn' || b.Retning === 'Ut');
  is('Tidspunkt', typeof b.Tidspunkt === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(b.Tidspunkt) && new Date(b.Tidspunkt).toISOString() === b.Tidspunkt);
  is('Navn', b.Navn === null || (typeof b.Navn === 'string' && b.Navn.length > 0));
  is('Orgnr', b.Orgnr === null || (typeof b.Orgnr === 'string' && /^[0-9]{9}$/.test(b.Orgnr)));
  is('HmsRegnr', b.HmsRegnr === want.hmsregNumber);
  is('Kilde', b.Kilde === 'hmskort');
  is('Korttype', b.Korttype === 'HMS-kort');
  is('Fødselsdato', b['Fødselsdato'] === null || (typeof b['Fødselsdato'] === 'string' && /^\d{4}-\d\d-\d\d$/.test(b['Fødselsdato'])));
  return bad;
}

function authorised(req: IncomingMessage, want: { user: string; password: string }): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
  return m !== null && Buffer.from(m[1], 'base64').toString('utf8') === `${want.user}:${want.password}`;
}

/**
 * `plan(n, body)` chooses the answer to the n-th request (1-based); `onRequest` is told of each
 * request as it arrives (before the answer), so a test can act at that instant (kill the client).
 */
export async function startHmsregServer(
  want: { user: string; password: string; hmsregNumber: string },
  plan: (n: number, body: Record<string, unknown> | null) => Fault = () => 'ok',
  onRequest?: (n: number, key: string | undefined) => void,
  port = 0,
): Promise<HmsregServer> {
  const s: Omit<HmsregServer, 'url' | 'close' | 'takenPerKey'> = { registered: [], taken: [], requests: [], problems: [] };
  const answer = (res: ServerResponse, key: string | undefined, body: Record<string, unknown>) => {
    if (res.destroyed || res.socket?.destroyed) return; // the client gave up first: not registered
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'queued' }));
    s.registered.push(body);
    s.taken.push({ key, body });
  };
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: Record<string, unknown> | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        s.problems.push('body is not JSON');
      }
      const key = req.headers['idempotency-key'] as string | undefined;
      s.requests.push({ at: performance.now(), key, body });
      onRequest?.(s.requests.length, key);
      if (!authorised(req, want)) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="hmsreg"' }).end('unauthorised');
      const bad = check(req, body, want);
      if (bad.length) {
        s.problems.push(...bad);
        return void res.writeHead(400).end(bad.join('; '));
      }
      const f = plan(s.requests.length, body);
      if (f === 'ok') return answer(res, key, body!);
      if (f === 'reset') return void req.socket.destroy();
      if (f === 'take-reset' || f === 'take-hang') s.taken.push({ key, body: body! });
      if (f === 'take-reset') return void req.socket.destroy();
      if (f === 'take-hang') return void hanging.add(res); // closed by close()
      if ('cut' in f) {
        if (f.cut >= 200 && f.cut < 300) s.taken.push({ key, body: body! });
        res.writeHead(f.cut, { 'content-length': '100' }).write('{"status":');
        return void setTimeout(() => req.socket.destroy(), 20);
      }
      if ('delayMs' in f) return void setTimeout(() => answer(res, key, body!), f.delayMs);
      res.writeHead(f.status, f.headers).end(f.body ?? '');
    });
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, '127.0.0.1', ok));
  const bound = (server.address() as AddressInfo).port;
  return {
    ...s,
    url: `http://127.0.0.1:${bound}`,
    takenPerKey: () => {
      const m = new Map<string | undefined, number>();
      for (const t of s.taken) m.set(t.key, (m.get(t.key) ?? 0) + 1);
      return m;
    },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  } as HmsregServer;
}
