/**
 * `--nats URL`, `--hotlist-feed nats://HOST:PORT/BUCKET`, `--events nats://HOST:PORT`: parsing and
 * connecting, bounded (a server that does not answer is NATS_UNREACHABLE after `timeoutMs`, never a
 * hang). Once connected the client reconnects for ever (research/fleet.md 1.1:
 * maxReconnectAttempts -1): a gate keeps deciding from its list while the link is down.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsFleetError } from './errors.js';
import { needArray, needObject } from '../../codec/guard.js';

export interface NatsTarget {
  /** host:port list for connect() */
  servers: string[];
  /** The path of the URL without its slash (a bucket name), or undefined. */
  path?: string;
}

/** nats://HOST:PORT[,HOST:PORT...][/NAME]; `what` names the option in errors. */
export function parseNatsUrl(url: string, what: string): NatsTarget {
  const m = /^nats:\/\/([^/]+)(?:\/([-\w]+))?\/?$/.exec(url);
  // A refused URL is echoed without what precedes an `@` (user:password is not supported, and
  // must not reach a log because it was put in the wrong place).
  const masked = (t: unknown) => String(t).replace(/[^/,@]*@/g, '***@');
  if (!m) throw new NatsFleetError('BAD_NATS_URL', `${what}: expected nats://HOST:PORT${what === '--hotlist-feed' ? '/BUCKET' : ''}, got "${masked(url)}"`);
  const servers = m[1].split(',');
  for (const s of servers) {
    if (!/^[^:,\s@]+:\d{1,5}$/.test(s)) throw new NatsFleetError('BAD_NATS_URL', `${what}: "${masked(s)}" is not HOST:PORT`);
  }
  return { servers, path: m[2] };
}

export async function connectNats(target: NatsTarget, name: string, timeoutMs = 5_000): Promise<NatsConnection> {
  needObject('connectNats', 'target', target);
  needArray('connectNats', 'target.servers', target.servers);
  try {
    return await connect({ servers: target.servers, name, timeout: timeoutMs, maxReconnectAttempts: -1, reconnectTimeWait: 1_000 });
  } catch (e) {
    throw new NatsFleetError('NATS_UNREACHABLE', `no NATS server answered at ${target.servers.join(', ')} within ${timeoutMs} ms (${(e as Error).message})`, { cause: e });
  }
}
