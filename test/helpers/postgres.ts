/**
 * A real PostgreSQL server for integration tests (issue 17 part 6: "PostgreSQL runs as an
 * unprivileged user in a temporary directory; no Docker"). Debian's postgresql-15 puts its
 * binaries in /usr/lib/postgresql/15/bin; initdb, pg_ctl and postgres refuse to run as root, so as
 * root they run as the `postgres` user through `runuser -u postgres --` (util-linux), on a temp dir
 * chowned to it (research/fleet.md section 3, commands observed on this machine).
 *
 * The server listens on 127.0.0.1 only, on a port picked free here (PostgreSQL cannot bind port 0),
 * with its unix socket in the temp dir (never /var/run/postgresql, which others' servers use), and
 * trust authentication for the test user `hms`. fsync is off: this measures nothing durable. Every
 * step has a time-out; stop() stops the server and removes the dir, and a server whose stop() never
 * runs (a cleanup step that throws first, a killed worker) is stopped all the same: see the three
 * nets in startPostgres (test/integration/helpers/postgres.test.ts proves them).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './natsServer.js';

const run = promisify(execFile);
const REAPER = join(import.meta.dirname, 'postgresReaper.mjs');

/** The newest installed PostgreSQL's bin dir (or HMSKORT_PG_BIN). */
export const PG_BIN: string | undefined =
  process.env.HMSKORT_PG_BIN ??
  (existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v) && existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)[0]
    : undefined);

/** What is missing to run the PostgreSQL suite, or undefined; with CI=true a missing server is a failure. */
export function postgresMissing(): string | undefined {
  if (PG_BIN) return undefined;
  const why = 'needs PostgreSQL (apt-get install postgresql)';
  if (process.env.CI === 'true') throw new Error(`CI=true but ${why}`);
  return why;
}

export interface PostgresHandle {
  /** postgres://hms@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  /** The postmaster's pid (from postmaster.pid; 0 if it could not be read). */
  pid: number;
  dir: string;
  /** Creates a database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server log so far. */
  log(): Promise<string>;
  /** Stops the server (fast shutdown) and removes the dir. Safe to call twice. */
  stop(): Promise<void>;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program as the unprivileged user, with a time-out. */
async function pg(bin: string, program: string, args: string[], timeoutMs: number): Promise<string> {
  const file = join(bin, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    const { stdout } = await run(cmd, argv, { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    return stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

/**
 * Starts a server. Called inside a test, the server lives until that test finishes (onTestFinished
 * stops it); to share one across tests, start it in beforeAll and stop it in afterAll.
 */
export async function startPostgres(opts: { startTimeoutMs?: number } = {}): Promise<PostgresHandle> {
  const bin = PG_BIN;
  if (!bin) throw new Error('PostgreSQL not found (apt-get install postgresql)');
  const dir = await mkdtemp(join(tmpdir(), 'hmspg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'pg.log');
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres'], { timeout: 5000 });
    const uid = Number(stdout.trim());
    const { stdout: g } = await run('id', ['-g', 'postgres'], { timeout: 5000 });
    await chown(dir, uid, Number(g.trim()));
  }
  const timeoutS = Math.ceil((opts.startTimeoutMs ?? 30_000) / 1000);
  let port = 0;
  let started = false;
  try {
    // -N: no fsync during initdb (4 s instead of much longer on a busy disk); trust: local tests only.
    await pg(bin, 'initdb', ['-D', data, '-U', 'hms', '--auth=trust', '-N', '-E', 'UTF8', '--locale=C.UTF-8'], 60_000);
    // A port free now may be taken before postgres binds it (eight suites share the machine): retry.
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      port = await freePort();
      const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=40`;
      try {
        await pg(bin, 'pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', String(timeoutS), '-o', settings, 'start'], (timeoutS + 5) * 1000);
        started = true;
      } catch (e) {
        const log = await readFile(logFile, 'utf8').catch(() => '');
        if (!/could not bind|Address already in use/i.test(log) || attempt === 2) throw new Error(`${(e as Error).message}\n${log.slice(-2000)}`);
      }
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  // pg_ctl detaches the postmaster (it is no child of ours), so nothing takes it down with the test
  // process. Three nets, so that no server outlives its test whatever goes wrong in the test:
  // 1. a reaper process (postgresReaper.mjs), detached, that ends the server once this process is
  //    gone: a vitest worker is ended without its 'exit' handlers running, and a SIGKILLed one
  //    runs none at all, so this is the net that always holds;
  // 2. inside a test, vitest's onTestFinished runs stop() even when the test throws;
  // 3. at process exit, SIGQUIT (PostgreSQL's immediate shutdown), for plain node scripts.
  // Vitest 4.1 ignores an afterAll registered while beforeAll runs (tried: it never fires), which
  // is why a server started in beforeAll relies on the reaper when the test's own afterAll throws.
  const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
  const reap = () => {
    if (!(pid > 0)) return;
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', reap);
  if (pid > 0) {
    const reaper = spawn(process.execPath, [REAPER, String(process.pid), String(pid), dir], { detached: true, stdio: 'ignore' });
    reaper.on('error', () => {}); // a reaper that cannot start must not crash the test process: nets 2 and 3 remain
    reaper.unref();
  }
  let stopped = false;
  const url = `postgres://hms@127.0.0.1:${port}/postgres`;
  const handle: PostgresHandle = {
    url,
    port,
    pid: pid > 0 ? pid : 0,
    dir,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`createDatabase: ${name} is not a plain lower-case name`);
      const { default: pgModule } = await import('pg');
      const c = new pgModule.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return `postgres://hms@127.0.0.1:${port}/${name}`;
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', reap);
      try {
        await pg(bin, 'pg_ctl', ['-D', data, '-w', '-t', '10', '-m', 'fast', 'stop'], 15_000);
      } catch {
        // pg_ctl could not stop it: kill the postmaster by its pid file so no server outlives the test.
        const pid = Number((await readFile(join(data, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await stopWhenTestFinishes(handle);
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}

/** Inside a running vitest test, registers stop() with onTestFinished (net 2 above); elsewhere nothing. */
async function stopWhenTestFinishes(h: PostgresHandle): Promise<void> {
  if (!('__vitest_worker__' in globalThis)) return;
  const { onTestFinished } = await import('vitest');
  try {
    onTestFinished(() => h.stop());
  } catch {
    // Not inside a test (beforeAll, collection): the caller's afterAll and the reaper stop it.
  }
}

/**
 * Whether process `pid` runs: a zombie counts as gone (proc(5), state Z), since the postmaster's
 * parent is init, which may reap it late. The same rule as postgresReaper.mjs.
 */
export function processAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    if (existsSync('/proc/self/stat')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
