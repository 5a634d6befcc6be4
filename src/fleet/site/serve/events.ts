/**
 * The site page's stream of decisions (issue 18 part 5) as server-sent events (HTML standard,
 * "Server-sent events": `event:` and `data:` lines, a blank line ends an event). No event engine of
 * its own: each connection polls the events table every `pollMs` for rows received after the last
 * it saw (decisionsSince in data.ts), and writes them. A failed poll is reported once per failure
 * and the next poll tries again: a database hiccup never ends the server.
 */
import type { ServerResponse } from 'node:http';
import type { SqlQueryable } from '../../store/db.js';
import { decisionsSince, type DecisionRow } from './data.js';
import { decisionText } from './page.js';

/** How far back each poll re-reads (see decisionsSince): a transaction open longer than this is missed. */
export const OVERLAP_MS = 10_000;

export interface DecisionStreamOptions {
  db: SqlQueryable;
  siteId: string;
  pollMs: number;
  onError: (e: Error) => void;
}

const keyOf = (d: DecisionRow) => `${d.gateId}\u0000${d.seq}`;

/** Streams the site's new decisions to `res` until the client goes away; returns a stop function. */
export async function streamDecisions(res: ServerResponse, o: DecisionStreamOptions): Promise<() => void> {
  const { rows } = await o.db.query<{ now: Date | string }>('SELECT now() AS now');
  let cursor = new Date(rows[0].now).toISOString();
  // What the overlap window holds at connect time was already on the page: mark it sent.
  const seen = new Map<string, string>();
  for (const d of await decisionsSince(o.db, o.siteId, cursor, OVERLAP_MS)) seen.set(keyOf(d), d.receivedAt);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write('retry: 2000\n\n');
  const poll = async () => {
    try {
      for (const d of await decisionsSince(o.db, o.siteId, cursor, OVERLAP_MS)) {
        if (d.receivedAt > cursor) cursor = d.receivedAt;
        if (seen.has(keyOf(d))) continue;
        seen.set(keyOf(d), d.receivedAt);
        res.write(`event: decision\ndata: ${JSON.stringify({ ...d, text: decisionText(d) })}\n\n`);
      }
      const oldest = new Date(Date.parse(cursor) - OVERLAP_MS).toISOString();
      for (const [k, at] of seen) if (at <= oldest) seen.delete(k);
      // A comment line keeps proxies and the browser from timing the idle stream out.
      res.write(': poll\n\n');
    } catch (e) {
      o.onError(e instanceof Error ? e : new Error(String(e)));
    }
    if (!stopped) timer = setTimeout(poll, o.pollMs);
  };
  timer = setTimeout(poll, o.pollMs);
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  res.on('close', stop);
  return stop;
}
