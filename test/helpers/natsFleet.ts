/**
 * Pieces the NATS fleet tests share: hot lists made from a seed, written as the CSV the publisher
 * reads, and a gate simulated as a HotlistFollower on its own connection.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from './natsServer.js';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { FeedEntry } from '../../src/fleet/contracts.js';
import { HotlistFollower } from '../../src/fleet/follower.js';
import { NatsHotlistFeed, type NatsHotlistFeedOptions } from '../../src/fleet/nats/feed.js';

const STATUSES = ['lost', 'stolen', 'blocked', 'destroyed'] as const;

/** Entry number i of a test list: card 700000000000 + i*7, cycling statuses, every third with minIssue. */
export function testEntry(i: number, variant = 0): FeedEntry {
  const e: FeedEntry = { cardNumber: String(700_000_000_000 + i * 7), status: STATUSES[(i + variant) % 4], expiry: '2099-12-31' };
  if (i % 3 === 0) e.minIssue = (i + variant) % 200;
  return e;
}

export function csvOf(entries: Iterable<FeedEntry>): string {
  const lines = ['cardNumber,status,minIssue,expiry'];
  for (const e of entries) lines.push(`${e.cardNumber},${e.status},${e.minIssue ?? ''},${e.expiry}`);
  return lines.join('\n') + '\n';
}

export async function writeList(path: string, entries: Iterable<FeedEntry>): Promise<string> {
  await writeFile(path, csvOf(entries));
  return path;
}

export function connectTo(url: string, name = 'test'): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 100, timeout: 5_000 });
}

export interface SimGate {
  nc: NatsConnection;
  feed: NatsHotlistFeed;
  follower: HotlistFollower;
  close(): Promise<void>;
}

/** A gate's hot-list side: its own connection, a NATS feed and a follower (started). */
export async function simGate(url: string, name: string, feedOpts: Partial<NatsHotlistFeedOptions> = {}): Promise<SimGate> {
  const nc = await connectTo(url, name);
  const feed = new NatsHotlistFeed({ nc, ...feedOpts });
  const follower = new HotlistFollower({ feed, retryMinMs: 50, retryMaxMs: 500 }).start();
  return {
    nc,
    feed,
    follower,
    close: async () => {
      await follower.stop();
      await nc.close();
    },
  };
}

/** Polls `cond` every 10 ms until true; throws naming `what` after `timeoutMs`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface FleetFixture {
  server: NatsServerHandle;
  /** The publisher's connection. */
  pub: NatsConnection;
  /** A temp dir for list files. */
  dir: string;
  /** Gates a test adds; closed by close(). */
  gates: SimGate[];
  /** Closes the gates and the publisher, stops the server, removes the dir. */
  close(): Promise<void>;
}

/** A nats-server, a publisher's connection and a temp dir: what most fleet tests start from. */
export async function fleetFixture(): Promise<FleetFixture> {
  const server = await startNatsServer();
  const pub = await connectTo(server.url, 'publisher');
  const dir = await mkdtemp(join(tmpdir(), 'hmsfleet-'));
  const gates: SimGate[] = [];
  return {
    server,
    pub,
    dir,
    gates,
    close: async () => {
      await Promise.all(gates.map((g) => g.close()));
      await pub.close();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
