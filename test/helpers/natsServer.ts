/**
 * A real nats-server with JetStream for integration tests (issue 17): Debian's package puts the
 * binary in /usr/sbin (research/fleet.md section 2). Each server binds 127.0.0.1 on a port the
 * server picks (`-p -1`), keeps its store in its own temp dir and is found through the ports file
 * it writes (`--ports_file_dir`, `nats-server_<pid>.ports` = {"nats":["nats://127.0.0.1:PORT"]}).
 * Waiting for that file is bounded; a server that exits first fails with the end of its log.
 *
 * `restart()` starts it again on the same port and store dir, so clients reconnect to the URL they
 * had and the streams come back from the store. On SIGTERM nats-server 2.9.10 exits with status 1
 * ("Server Exiting.."): that is a normal stop here, not a failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NATS_SERVER_BIN = process.env.HMSKORT_NATS_SERVER ?? ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'].find((p) => existsSync(p));

/** What is missing to run the NATS suite, or undefined; with CI=true a missing server is a failure. */
export function natsServerMissing(): string | undefined {
  if (NATS_SERVER_BIN) return undefined;
  const why = 'needs nats-server (apt-get install nats-server)';
  if (process.env.CI === 'true') throw new Error(`CI=true but ${why}`);
  return why;
}

export interface NatsServerOptions {
  /** Extra nats-server configuration text (server block, not `jetstream`), e.g. `leafnodes { ... }`. */
  config?: string;
  /** JetStream domain (leaf-node setups). */
  domain?: string;
  /** Bounded wait for the ports file; default 10 s. */
  startTimeoutMs?: number;
  /** A fixed port (e.g. from freePort()); default: the server picks one. */
  port?: number;
  /** Prefix of the temp dir. */
  name?: string;
}

export interface NatsServerHandle {
  /** nats://127.0.0.1:PORT */
  url: string;
  port: number;
  /** The temp dir: config, log, ports file and JetStream store (`store/`). */
  dir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s); the store dir stays. */
  halt(): Promise<void>;
  /** Starts it again on the same port and store dir (after halt()). */
  resume(): Promise<void>;
  /** halt() then resume(). */
  restart(): Promise<void>;
  /** Stops the process and removes the dir. Safe to call twice. */
  stop(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): Promise<string>;
}

/** A port nobody listens on right now on 127.0.0.1 (for leafnode listeners: the ports file does not name them). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const bin = NATS_SERVER_BIN;
  if (!bin) throw new Error('nats-server not found (apt-get install nats-server)');
  const dir = await mkdtemp(join(tmpdir(), `${options.name ?? 'hmsnats'}-`));
  const conf = join(dir, 'nats.conf');
  // Limits: the defaults are 75 % of RAM and most of the disk; eight suites share this machine.
  await writeFile(conf, `jetstream {\n  store_dir: "${join(dir, 'store')}"\n  max_memory_store: 64MB\n  max_file_store: 2GB\n${options.domain ? `  domain: ${options.domain}\n` : ''}}\n${options.config ?? ''}\n`);
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let child: ChildProcess | undefined;
  let port = options.port ?? -1;
  let stopped = false;

  const launch = async (): Promise<void> => {
    const p = spawn(bin, ['-c', conf, '-js', '-a', '127.0.0.1', '-p', String(port), '--ports_file_dir', dir, '-l', join(dir, 'nats.log')], { stdio: 'ignore' });
    child = p;
    const exited = new Promise<string>((resolve) => p.once('exit', (code, sig) => resolve(`exited (${code ?? sig})`)));
    const portsFile = join(dir, `nats-server_${p.pid}.ports`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const early = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 25))]);
      if (early) throw new Error(`nats-server ${early} before it was ready; log:\n${(await readLog(dir)).slice(-2000)}`);
      try {
        const ports = JSON.parse(await readFile(portsFile, 'utf8')) as { nats?: string[] };
        const url = ports.nats?.[0];
        if (url) {
          port = Number(new URL(url).port);
          return;
        }
      } catch {
        // not written yet (or half written): poll again
      }
      if (Date.now() > deadline) {
        p.kill('SIGKILL');
        throw new Error(`nats-server wrote no ports file ${portsFile} within ${timeoutMs} ms; log:\n${(await readLog(dir)).slice(-2000)}`);
      }
    }
  };

  const halt = async (): Promise<void> => {
    const p = child;
    child = undefined;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
    // The old ports file would otherwise be read by nobody, but keep the dir tidy for resume().
    for (const f of await readdir(dir)) if (f.endsWith('.ports')) await rm(join(dir, f), { force: true });
  };

  try {
    await launch();
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    get url() {
      return `nats://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dir,
    halt,
    resume: async () => {
      if (stopped) throw new Error('nats-server handle already stopped');
      if (!child) await launch();
    },
    restart: async () => {
      await halt();
      await launch();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await halt();
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readLog(dir),
  };
}

async function readLog(dir: string): Promise<string> {
  try {
    return await readFile(join(dir, 'nats.log'), 'utf8');
  } catch {
    return '(no log)';
  }
}

export interface LeafPair {
  /** The centre: JetStream domain `hub`, accepts leaf connections. */
  hub: NatsServerHandle;
  /** The site: JetStream domain `site`, a leaf of the hub. */
  leaf: NatsServerHandle;
  stop(): Promise<void>;
}

/**
 * A hub and a leaf-node server, each its own JetStream domain (research/fleet.md section 2,
 * nats.docs jetstream_leafnodes.md): the leaf's gates read a mirror of the hub's bucket in domain
 * `site`; `$JS.hub.API` reaches the hub through the leaf.
 */
export async function startLeafPair(): Promise<LeafPair> {
  const leafPort = await freePort();
  const hub = await startNatsServer({ name: 'hmsnats-hub', domain: 'hub', config: `server_name: hub\nleafnodes { listen: "127.0.0.1:${leafPort}" }\n` });
  let leaf: NatsServerHandle;
  try {
    leaf = await startNatsServer({ name: 'hmsnats-leaf', domain: 'site', config: `server_name: site\nleafnodes { remotes: [ { url: "nats-leaf://127.0.0.1:${leafPort}" } ] }\n` });
  } catch (e) {
    await hub.stop();
    throw e;
  }
  return {
    hub,
    leaf,
    stop: async () => {
      await leaf.stop();
      await hub.stop();
    },
  };
}
