/**
 * `site serve --nats URL` (issue 18 part 5): the page with the durable consumer of `site ingest
 * --nats` in its process, against a real nats-server that is not there when the page starts and
 * goes away while it runs. The page answers throughout; the ingest's refusals are logged (the
 * password of the URL masked) and retried; once the server is back, a published event is on the
 * page's list. One abort (what SIGTERM does) ends it with exit 0. In-process (main with its
 * context, PGlite in memory), so the test can stop it and read its output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { fakeContext } from '../../helpers/cli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';
import { presenceEvent } from '../../helpers/presenceEvents.js';
import { eventually as until } from '../../helpers/fleet.js';
import { natsConnect, publishEvents } from '../../helpers/eventStream.js';
import { freePort, natsServerMissing, startNatsServer, type NatsServerHandle } from '../../helpers/natsServer.js';
import { main } from '../../../src/cli/main.js';
import { ensureEventsStream } from '../../../src/fleet/nats/eventsStream.js';

const missing = natsServerMissing();
const TOKEN = 'office-token-5f3a9c0e2b7d41a8';
const SECRET = 'nats-pw-9d1e';
// presenceEvent's instants: 2026-12-03T06:00Z + seq s, the Oslo day 2026-12-03.
const DAY = '2026-12-03';
let dir = '';
let nats: NatsServerHandle | undefined;
let nc: NatsConnection | undefined;
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(missing)('site serve --nats: NATS away at start and in between; the page stays up', () => {
  it('refusals logged and retried, the page answering; events published once NATS is there reach the list; one abort, exit 0', { timeout: 120_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'hms-serve-nats-'));
    await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON));
    await writeFile(join(dir, 'token'), `${TOKEN}\n`);
    const port = await freePort();
    const ac = new AbortController();
    const ctx = fakeContext({ cwd: dir, signal: ac.signal });
    const status = main(['site', 'serve', '--db', 'memory://', '--nats', `nats://hms:${SECRET}@127.0.0.1:${port}`, '--config', 'site.json', '--port', '0', '--token-file', 'token'], ctx);
    await until(`the page's address (${ctx.out()}${ctx.err()})`, () => /http:\/\/127\.0\.0\.1:\d+\//.test(ctx.out()), 90_000);
    const base = (/http:\/\/127\.0\.0\.1:\d+\//.exec(ctx.out()) as RegExpExecArray)[0];
    const csv = async () => {
      const r = await fetch(`${base}list.csv?date=${DAY}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(200);
      return r.text();
    };
    await until('an ingest refusal in the log', () => /ingest stopped \(NATS_UNAVAILABLE: cannot connect to nats:\/\/hms:\*\*\*@127\.0\.0\.1:\d+/.test(ctx.err()));
    expect(await csv()).not.toContain('700000000001');

    nats = await startNatsServer({ port, name: 'hms-serve-nats' });
    nc = await natsConnect(nats.url);
    await ensureEventsStream(await jetstreamManager(nc));
    await publishEvents(nc, [presenceEvent('north', 1, 'kvartal7')]);
    await until('event 1 on the page', async () => (await csv()).includes('700000000001'));

    await nc.close();
    nc = undefined;
    await nats.halt();
    // While the server is away the page still answers (the consumer's fetches fail and are retried).
    expect(await csv()).toContain('700000000001');
    await nats.resume();
    nc = await natsConnect(nats.url);
    await publishEvents(nc, [presenceEvent('north', 2, 'kvartal7')]);
    await until('event 2 on the page', async () => (await csv()).includes('700000000002'));

    ac.abort();
    expect(await status).toBe(0);
    expect(ctx.out() + ctx.err()).not.toContain(SECRET);
  });
});
