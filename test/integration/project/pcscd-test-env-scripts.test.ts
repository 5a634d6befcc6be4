/**
 * scripts/pcscd-test-env.sh and its stop script, for the quickack route (issue 19 item 24): the
 * start script adds the route only when absent and records it; the stop script removes exactly
 * that, also when pcscd was already running (before the fix it exited early without a pid file and
 * left the route behind), and never a route it did not add. Real `ip`, real scripts; the "pcscd"
 * is a plain TCP listener on a free port, so the shared pcscd is never touched, and the route is
 * for 127.0.0.3, not the 127.0.0.2 the other suites use. Needs root (route changes).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostFromLocalRoutes } from '../../../src/drivers/vpcd/host.js';

const root = process.getuid?.() === 0;
const HOST = '127.0.0.3';
const dir = mkdtempSync(join(tmpdir(), 'hmskort-envtest-'));
let server: Server;
let env: NodeJS.ProcessEnv;

const routes = () => execFileSync('ip', ['-o', 'route', 'show', 'table', 'local'], { encoding: 'utf8', timeout: 5000 });
const hasRoute = () => hostFromLocalRoutes(routes(), HOST) === HOST;
const script = (name: string) => execFileSync('bash', [`scripts/${name}`], { env, encoding: 'utf8', timeout: 20000 });
const delRoute = () => {
  try {
    execFileSync('ip', ['route', 'del', 'local', `${HOST}/32`, 'dev', 'lo', 'table', 'local'], { timeout: 5000, stdio: 'ignore' });
  } catch {
    /* not there */
  }
};

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  env = { ...process.env, HMSKORT_VPCD_PORT: String(port), HMSKORT_VPCD_QUICKACK_HOST: HOST, HMSKORT_PCSCD_PIDFILE: join(dir, 'pid'), HMSKORT_VPCD_ROUTE_STATE: join(dir, 'route') };
  if (root) delRoute();
});

afterAll(async () => {
  if (root) delRoute();
  await new Promise<void>((r) => server.close(() => r()));
});

it.skipIf(!root)('with pcscd already running: start adds the route and records it, stop removes it', () => {
  expect(hasRoute()).toBe(false);
  expect(script('pcscd-test-env.sh')).toMatch(/already listening/);
  expect(hasRoute()).toBe(true);
  expect(readFileSync(join(dir, 'route'), 'utf8').trim()).toBe(HOST);
  expect(existsSync(join(dir, 'pid'))).toBe(false); // pcscd was not ours: nothing to stop
  script('pcscd-test-env-stop.sh');
  expect(hasRoute()).toBe(false);
  expect(existsSync(join(dir, 'route'))).toBe(false);
});

it.skipIf(!root)('a route someone else set is left alone by both scripts', () => {
  execFileSync('ip', ['route', 'replace', 'local', `${HOST}/32`, 'dev', 'lo', 'table', 'local', 'quickack', '1'], { timeout: 5000 });
  script('pcscd-test-env.sh');
  expect(existsSync(join(dir, 'route'))).toBe(false);
  script('pcscd-test-env-stop.sh');
  expect(hasRoute()).toBe(true);
  delRoute();
});

it('the default vpcd host is the quickack host only when its route has quickack', () => {
  const plain = 'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 \nlocal 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n';
  expect(hostFromLocalRoutes(plain)).toBe('127.0.0.1');
  expect(hostFromLocalRoutes(plain + 'local 127.0.0.2 dev lo scope host quickack 1 \n')).toBe('127.0.0.2');
  expect(hostFromLocalRoutes(plain + 'local 127.0.0.2 dev lo scope host \n')).toBe('127.0.0.1');
  expect(hostFromLocalRoutes(plain + 'local 127.0.0.20 dev lo scope host quickack 1 \n')).toBe('127.0.0.1');
});
