/**
 * `hmskort site serve` (issue 18 part 5): a small read-only web page for the site office, on
 * node:http. Routes (GET only): `/` the page, `/list` and `/gates` the two table bodies (the page
 * refreshes them when a decision arrives), `/list.csv` the day's list as `site list --csv` writes
 * it (the same listCsv), `/events` the decisions as server-sent events, `/app.js` the script.
 * `?date=YYYY-MM-DD` chooses the Oslo day; without it, today in Oslo.
 *
 * Every request needs the token (auth.ts); without it, 401 and nothing else. The token is never
 * logged: nothing here logs a request line, and `?token=` is answered with a redirect to the same
 * address without it, so it does not stay in the address bar or the history.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SqlQueryable } from '../../store/db.js';
import type { SiteConfig } from '../config.js';
import { dailyList } from '../dailyList.js';
import { isCalendarDay } from '../errors.js';
import { listCsv } from '../format.js';
import { presentedToken, sameToken, tokenCookie } from './auth.js';
import { CLIENT_JS } from './client.js';
import { latestDecisions, osloToday, siteGates } from './data.js';
import { streamDecisions } from './events.js';
import { gateRows, listRows, sitePage } from './page.js';

export interface SiteServerOptions {
  db: SqlQueryable;
  cfg: SiteConfig;
  token: string;
  /** How often each event stream polls the events table (default 1000 ms). */
  pollMs?: number;
  /** How many decisions the page shows at load (default 20). */
  latest?: number;
  /** How often the page fetches the gates' body again, so their list ages count on (default 2000 ms). */
  gatesRefreshMs?: number;
  /** A request or poll that failed on the server side; the message never holds the token. */
  onError?: (e: Error) => void;
  now?: () => number;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

/** The request handler (exported for tests on port 0). */
export function siteHandler(o: SiteServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const now = o.now ?? Date.now;
  const onError = o.onError ?? (() => undefined);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://site.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { allow: 'GET, HEAD' });
    const fromQuery = url.searchParams.get('token');
    if (fromQuery !== null) {
      if (!sameToken(fromQuery, o.token)) return send(res, 401, 'text/plain; charset=utf-8', 'wrong token\n', { 'www-authenticate': 'Bearer' });
      url.searchParams.delete('token');
      return send(res, 303, 'text/plain; charset=utf-8', '', { location: url.pathname + url.search, 'set-cookie': tokenCookie(o.token) });
    }
    const given = presentedToken(req);
    if (given === undefined || !sameToken(given, o.token)) {
      return send(res, 401, 'text/plain; charset=utf-8', 'a token is needed: Authorization: Bearer TOKEN, or open the page once with ?token=TOKEN\n', { 'www-authenticate': 'Bearer' });
    }
    const date = url.searchParams.get('date') ?? osloToday(now());
    if (!isCalendarDay(date)) return send(res, 400, 'text/plain; charset=utf-8', 'date: expected YYYY-MM-DD\n');
    const site = o.cfg.siteId;
    switch (url.pathname) {
      case '/': {
        const [l, gates, decisions] = [await dailyList(o.db, o.cfg, date), await siteGates(o.db, site), await latestDecisions(o.db, site, o.latest ?? 20)];
        return send(res, 200, 'text/html; charset=utf-8', sitePage(l, gates, decisions, now(), o.gatesRefreshMs));
      }
      case '/list':
        return send(res, 200, 'text/html; charset=utf-8', listRows(await dailyList(o.db, o.cfg, date)));
      case '/gates':
        return send(res, 200, 'text/html; charset=utf-8', gateRows(await siteGates(o.db, site), now()));
      case '/list.csv':
        return send(res, 200, 'text/csv; charset=utf-8; header=present', listCsv(await dailyList(o.db, o.cfg, date)), {
          'content-disposition': `attachment; filename="site-${site}-${date}.csv"`,
        });
      case '/app.js':
        return send(res, 200, 'text/javascript; charset=utf-8', CLIENT_JS);
      case '/events':
        await streamDecisions(res, { db: o.db, siteId: site, pollMs: o.pollMs ?? 1000, onError });
        return;
      default:
        return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  };
  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      onError(e instanceof Error ? e : new Error(String(e)));
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'the server could not answer (see its log)\n');
      else res.end();
    });
  };
}

export interface RunningSiteServer {
  readonly server: Server;
  /** http://HOST:PORT/ (without the token). */
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0: any free port) and resolves when it does. */
export async function startSiteServer(o: SiteServerOptions & { host: string; port: number }): Promise<RunningSiteServer> {
  const server = createServer(siteHandler(o));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server,
    url: `http://${host}:${a.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        // Event streams never end by themselves: close them with the server.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
