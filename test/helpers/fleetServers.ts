/**
 * The servers of the fleet store's integration tests, once per test file: a nats-server with
 * JetStream and a PostgreSQL server (both on 127.0.0.1, in temp dirs), a client connection, and a
 * temp dir for PGlite databases. Before each test the events stream is deleted and created again,
 * so each test starts with an empty stream and no consumer. Everything is stopped and removed
 * after the file.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { natsServerMissing, startNatsServer, type NatsServerHandle } from './natsServer.js';
import { postgresMissing, startPostgres, type PostgresHandle } from './postgres.js';
import { freshEventsStream, natsConnect } from './eventStream.js';

export interface FleetServers {
  nats: NatsServerHandle;
  pg: PostgresHandle;
  nc: NatsConnection;
  /** A temp dir for PGlite data directories. */
  tmp: string;
}

/** What is missing to run these tests (nats-server, PostgreSQL), or undefined. */
export function fleetServersMissing(): string | undefined {
  return natsServerMissing() ?? postgresMissing();
}

/** Registers the hooks; the returned object is filled in beforeAll (when `enabled`). */
export function useFleetServers(name: string, enabled: boolean): FleetServers {
  const s = {} as FleetServers;
  beforeAll(async () => {
    if (!enabled) return;
    [s.nats, s.pg] = await Promise.all([startNatsServer({ name }), startPostgres()]);
    s.nc = await natsConnect(s.nats.url);
    s.tmp = await mkdtemp(join(tmpdir(), `${name}-pglite-`));
  }, 90_000);
  afterAll(async () => {
    await s.nc?.close();
    await Promise.all([s.nats?.stop(), s.pg?.stop(), s.tmp && rm(s.tmp, { recursive: true, force: true })]);
  });
  beforeEach(async () => {
    if (enabled) await freshEventsStream(s.nc);
  });
  return s;
}
