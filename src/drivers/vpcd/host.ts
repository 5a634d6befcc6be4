/**
 * Which loopback address to reach vpcd at by default.
 *
 * vpcd (in pcscd) sends each message as two send() calls, length then payload, without
 * TCP_NODELAY: Nagle holds the payload until our side ACKs the length, and Linux delays that ACK
 * (delayed ACK, ~40 ms). Measured through pcscd (test/integration/drivers/pcsc/reader-probe-pcscd.test.ts, `reader probe`:
 * 14-15 APDUs and resets): 940-1170 ms at 127.0.0.1, 16-31 ms at 127.0.0.2 with a `quickack 1`
 * local route, i.e. about 60-70 ms against 1-2 ms per APDU. Node cannot set TCP_QUICKACK on a socket, so
 * scripts/pcscd-test-env.sh adds the route
 *   ip route replace local 127.0.0.2/32 dev lo table local quickack 1
 * and the fast address is the default when that route exists (ip-route(8): QUICKACK). Without it
 * 127.0.0.1 is used: 127.0.0.2 is loopback on Linux too, but gains nothing and is not on every OS.
 */
import { execFile } from 'node:child_process';

export const VPCD_PLAIN_HOST = '127.0.0.1';
export const VPCD_QUICKACK_HOST = '127.0.0.2';

/** The fast host when `ip -o route show table local` lists its quickack route, else the plain one. */
export function hostFromLocalRoutes(ipRouteOutput: string, fast = VPCD_QUICKACK_HOST): string {
  const escaped = fast.replace(/\./g, '\\.');
  const route = new RegExp(`^local ${escaped}(/32)? .*\\bquickack 1\\b`, 'm');
  return route.test(ipRouteOutput) ? fast : VPCD_PLAIN_HOST;
}

/**
 * The default vpcd host: HMSKORT_VPCD_HOST when set, else the quickack host when its route exists.
 * Asks iproute2 with a 2 s time-out; any failure (no `ip`, not Linux) gives 127.0.0.1.
 */
export function defaultVpcdHost(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.HMSKORT_VPCD_HOST) return Promise.resolve(env.HMSKORT_VPCD_HOST);
  const fast = env.HMSKORT_VPCD_QUICKACK_HOST ?? VPCD_QUICKACK_HOST;
  return new Promise((resolve) => {
    execFile('ip', ['-o', 'route', 'show', 'table', 'local'], { timeout: 2000 }, (err, stdout) => {
      resolve(err ? VPCD_PLAIN_HOST : hostFromLocalRoutes(String(stdout), fast));
    });
  });
}
