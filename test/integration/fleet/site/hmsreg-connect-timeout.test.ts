/**
 * `site export --hmsreg`: our own time-out while the TCP connect still hangs is retried, because
 * the request never left (src/fleet/site/hmsreg/leftWire.ts: undici announced the request on
 * `undici:request:create` but never `undici:client:sendHeaders`). No error code says so here (the
 * fetch rejects with the AbortSignal's TimeoutError), so this is the test of the channel path.
 * The hanging connect: a listener that never accepts, its accept queue filled, so Linux drops
 * further SYNs (listen(2) "backlog"; tcp(7) tcp_abort_on_overflow off by default). Node's net server
 * always accepts, so python3 holds the socket; without python3 the test is skipped.
 */
import { describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { parseSiteConfig } from '../../../../src/fleet/site/config.js';
import { exportToHmsreg } from '../../../../src/fleet/site/hmsreg/export.js';
import { SiteError } from '../../../../src/fleet/site/errors.js';
import { SITE_A_JSON } from '../../../helpers/siteDay.js';
import { hmsregStore } from '../../../helpers/hmsregStore.js';

const NO_PYTHON = spawnSync('python3', ['-c', '0']).status !== 0;
const CFG = parseSiteConfig(JSON.stringify({ ...SITE_A_JSON, hmsregNumber: 'HR-40117' }));

const store = hmsregStore();

async function fullListener(): Promise<{ port: number; close(): void }> {
  const py = spawn('python3', ['-c', "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)"], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((ok, fail) => {
    py.stdout.once('data', (d: Buffer) => ok(Number(String(d))));
    py.once('error', fail);
    setTimeout(() => fail(new Error('python3 listener: no port within 5 s')), 5000).unref();
  });
  const fill: Socket[] = [];
  for (let i = 0; i < 4; i++) fill.push(connect(port, '127.0.0.1').on('error', () => {}));
  await new Promise((r) => setTimeout(r, 200));
  return { port, close: () => { for (const s of fill) s.destroy(); py.kill('SIGKILL'); } };
}

describe.skipIf(NO_PYTHON)('site export --hmsreg: a connect that never completes', () => {
  it('our time-out during the connect is retried (nothing sent), and the tap stays pending', async () => {
    const full = await fullListener();
    try {
      const reasons: string[] = [];
      const target = { url: `http://127.0.0.1:${full.port}`, user: 'u', password: 'p', timeoutMs: 300 };
      const e = await exportToHmsreg(store.db, CFG, target, { signal: AbortSignal.timeout(20_000), baseDelayMs: 5, maxAttempts: 2, onRetry: (r) => void reasons.push(r) }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SiteError);
      expect(e).toMatchObject({ code: 'HMSREG_UNREACHABLE' });
      expect(reasons).toEqual(['no answer within 300 ms (nothing sent)']);
      expect((await store.db.query('SELECT * FROM hmsreg_sent')).rows).toEqual([]);
    } finally {
      full.close();
    }
  }, 30_000);
});
