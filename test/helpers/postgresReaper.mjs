/**
 * The reaper of one test PostgreSQL (test/helpers/postgres.ts starts it, detached): `node
 * postgresReaper.mjs OWNER_PID POSTMASTER_PID DIR`. pg_ctl detaches the postmaster, so nothing takes
 * it down with the test process, and a vitest worker is ended without running its 'exit' handlers;
 * this process outlives the worker and, once OWNER_PID is gone, ends the server: SIGQUIT (PostgreSQL's
 * immediate shutdown, which also ends its backends: PostgreSQL docs, "Shutting Down the Server"),
 * SIGKILL if it is still there 5 s later, then removes DIR (the 'exit' handler's SIGQUIT, where it
 * did run, leaves the dir). It exits by itself as soon as both the postmaster and DIR are gone
 * (stop() ran to its end), and otherwise when the owner is gone and it has cleaned up.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';

const [owner, postmaster] = process.argv.slice(2, 4).map(Number);
const dir = process.argv[4];
const POLL_MS = 100;

// A zombie counts as gone: the postmaster's parent is init, which may reap it late (proc(5): state Z).
const alive = (pid) => {
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    if (existsSync('/proc/self/stat')) return false; // procfs, no entry: gone
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
const signal = (pid, sig) => {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
};

function reap() {
  signal(postmaster, 'SIGQUIT');
  const deadline = Date.now() + 5000;
  const wait = setInterval(() => {
    if (alive(postmaster) && Date.now() < deadline) return;
    clearInterval(wait);
    if (alive(postmaster)) signal(postmaster, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }, POLL_MS);
}

if (!(owner > 0 && postmaster > 0 && dir)) process.exit(2);
const watch = setInterval(() => {
  // stop() ran to its end: the server and its dir are gone, nothing left to watch.
  if (!alive(postmaster) && !existsSync(dir)) return clearInterval(watch);
  if (alive(owner)) return;
  clearInterval(watch);
  reap();
}, POLL_MS);
