/**
 * The one-machine site office (issue 18 part 5): `hmskort site serve --db PGLITE_DIR --outbox DIR`,
 * the built CLI, serves the page AND ingests the gate's outbox in one process (a PGlite directory
 * is one process's at a time). The gate is the library's Gate + EventOutbox in this process, as
 * `hmskort gate --outbox` runs them; the expected rows are the gate's own decision events.
 *
 * Checked: a tap recorded while the page runs reaches the page's /events stream and /list.csv; the
 * CSV is byte for byte what `site list --csv` (run after serve stopped) writes; `site ingest` on the
 * same directory meanwhile is refused with exit 4 naming serve's pid; SIGTERM stops serve with exit
 * 0 and the outbox cursor at the last seq; a restarted deliverer (`site ingest --outbox`) stores
 * nothing again, and `site serve` is refused while it holds the directory, naming its pid.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, BUILT, ROOT } from '../../helpers/batchCli.js';
import { SITE_A_JSON } from '../../helpers/siteDay.js';
import { READ_MASTER } from '../../helpers/gateCards.js';
import { cardOf, eventually } from '../../helpers/fleet.js';
import { Gate, type GateDecisionEvent } from '../../../src/gate/gate.js';
import { HotlistFollower } from '../../../src/fleet/follower.js';
import { MemoryHotlistFeed } from '../../../src/fleet/memoryFeed.js';
import { EventOutbox } from '../../../src/fleet/outbox.js';
import { readCursor } from '../../../src/fleet/outboxFiles.js';
import { waitFor } from '../../../src/transport/wait.js';

const TOKEN = 'office-token-5f3a9c0e2b7d41a8';
// The gate's clock: 09:00 in Oslo on 2027-01-04, so the list's day is known whatever today is.
const AT = Date.UTC(2027, 0, 4, 8, 0, 0);
const DAY = '2027-01-04';

interface Cli {
  child: ChildProcess;
  out(): string;
  err(): string;
  /** Resolves when stdout+stderr match `re`; fails after `ms` or when the process exits first. */
  printed(re: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** The exit status, SIGKILL after `ms`. */
  exit(ms?: number): Promise<number | null>;
  stop(): Promise<number | null>;
}

const children: ChildProcess[] = [];

function cli(args: string[], cwd: string): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const exit = async (ms = 60_000) => {
    const t = setTimeout(() => child.kill('SIGKILL'), ms);
    const code = await exited;
    clearTimeout(t);
    return code;
  };
  return {
    child,
    out: () => out,
    err: () => err,
    printed: (re, ms = 60_000) =>
      waitFor({
        what: `${re} from hmskort ${args[0]} ${args[1]} (stdout: ${out}; stderr: ${err})`,
        timeoutMs: ms,
        subscribe: (resolve, reject) => {
          const t = setInterval(() => {
            const m = re.exec(out + err);
            if (m) resolve(m);
            else if (child.exitCode !== null) reject(new Error(`exited ${child.exitCode} before ${re}: ${out}${err}`));
          }, 50);
          return () => clearInterval(t);
        },
      }),
    exit,
    stop: () => {
      child.kill('SIGTERM');
      return exit(30_000);
    },
  };
}

/** The page's /events stream: every `decision` event's data, as it comes. */
function decisions(base: string, signal: AbortSignal): { rows: Record<string, unknown>[]; open: Promise<void> } {
  const rows: Record<string, unknown>[] = [];
  const open = (async () => {
    const res = await fetch(`${base}events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const text = new TextDecoder();
    let buf = '';
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buf += text.decode(value, { stream: true });
        // HTML standard, server-sent events: a blank line ends an event.
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (/^event: decision$/m.test(block)) rows.push(JSON.parse((/^data: (.*)$/m.exec(block) as RegExpExecArray)[1]));
        }
      }
    })();
  })();
  return { rows, open };
}

let dir = '';
let gate: Gate;
let follower: HotlistFollower;
let box: EventOutbox;
const decided: GateDecisionEvent[] = [];

beforeAll(async () => {
  if (!BUILT) return;
  dir = await mkdtemp(join(tmpdir(), 'hms-serve-live-'));
  await writeFile(join(dir, 'site.json'), JSON.stringify(SITE_A_JSON));
  await writeFile(join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  gate = new Gate({ readMaster: READ_MASTER, clock: () => AT });
  follower = new HotlistFollower({ feed: new MemoryHotlistFeed({ entries: [{ cardNumber: '3', status: 'lost', expiry: '2099-12-31' }] }), gate }).start();
  await follower.ready(10_000);
  gate.on('decision', (d) => decided.push(d));
  box = await EventOutbox.open({ dir: join(dir, 'hmskort-outbox', 'kvartal7.north'), gateId: 'kvartal7-north', site: 'kvartal7', sync: false });
  box.attach(gate);
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await box?.close();
  await follower?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tap(n: number): Promise<string> {
  await gate.tap(cardOf(n));
  await box.flush();
  return decided[decided.length - 1].cardNumber as string;
}

describe.skipIf(!BUILT)('site serve --outbox: the page and the ingest in one process (built CLI, PGlite)', () => {
  it('a new tap reaches /events and /list.csv; site ingest is refused meanwhile; SIGTERM: exit 0, cursor at the end; a restart stores nothing twice', { timeout: 240_000 }, async () => {
    const first = await tap(1);
    const serveArgs = ['site', 'serve', '--db', 'site-db', '--outbox', 'hmskort-outbox', '--config', 'site.json', '--port', '0', '--token-file', 'token'];
    const serve = cli(serveArgs, dir);
    const base = (await serve.printed(/http:\/\/127\.0\.0\.1:\d+\//))[0];
    expect(serve.out()).toContain('ingesting');
    await serve.printed(/total 1 \(1 new, 0 duplicates\)/);

    const ac = new AbortController();
    const stream = decisions(base, ac.signal);
    await stream.open;
    const second = await tap(2);
    expect(second).not.toBe(first);
    const t0 = Date.now();
    await eventually(`card ${second} on the page's /events`, () => stream.rows.some((r) => r.cardNumber === second), 15_000);
    const sseMs = Date.now() - t0;
    ac.abort();
    expect(stream.rows.map((r) => [r.gateId, r.seq, r.cardNumber, r.allow])).toEqual([['kvartal7-north', 2, second, true]]);

    const csvRes = await fetch(`${base}list.csv?date=${DAY}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(csvRes.status).toBe(200);
    const pageCsv = Buffer.from(await csvRes.arrayBuffer());
    expect(pageCsv.toString('utf8')).toContain(first);
    expect(pageCsv.toString('utf8')).toContain(second);

    // The other way in while serve holds the directory: refused at once, naming serve.
    const ingest = cli(['site', 'ingest', '--outbox', 'hmskort-outbox', '--db', 'site-db'], dir);
    expect(await ingest.exit()).toBe(4);
    expect(ingest.err()).toContain(`is in use by process ${serve.child.pid} (hmskort site serve)`);
    expect(ingest.err()).toContain(`stop process ${serve.child.pid} and run hmskort site serve --db site-db --outbox DIR`);

    expect(await serve.stop()).toBe(0);
    expect(await readCursor(join(dir, 'hmskort-outbox', 'kvartal7.north'))).toBe(2);

    const list = cli(['site', 'list', '--site', 'kvartal7', '--date', DAY, '--csv', '--db', 'site-db', '--config', 'site.json'], dir);
    expect(await list.exit()).toBe(0);
    expect(Buffer.from(list.out(), 'utf8').equals(pageCsv)).toBe(true);

    // Restarted, the outbox's deliverer finds nothing left; serve is refused while it runs.
    const again = cli(['site', 'ingest', '--outbox', 'hmskort-outbox', '--db', 'site-db'], dir);
    await again.printed(/^ingest: .*total 0 /m);
    const refused = cli(serveArgs, dir);
    expect(await refused.exit()).toBe(4);
    expect(refused.err()).toContain(`is in use by process ${again.child.pid} (hmskort site ingest)`);
    expect(refused.err()).toContain('run hmskort site serve --db site-db --outbox DIR');
    expect(await again.stop()).toBe(0);
    expect(again.out()).toMatch(/total 0 \(0 new, 0 duplicates\)/);
    console.log(`site serve --outbox: tap to the page's /events in ${sseMs} ms`);
  });
});
