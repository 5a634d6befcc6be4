/**
 * A vitest reporter that turns a stuck test worker into a prompt, explained failure.
 *
 * vitest's own timeouts are timers inside the worker: a worker whose main thread is blocked in
 * native code (a PC/SC library call that never returns, say) never fires them, and the run waits
 * for ever; CI then fails at its 90-minute limit with nothing said. This reporter runs in vitest's
 * main process, whose event loop stays free: when a test file has been running longer than
 * HMSKORT_TEST_STALL_MIN minutes (default 10; the slowest file, the PC/SC suite, takes about
 * 16 s), it prints the files in flight with their last reported test, each worker's native stacks
 * (gdb, when present) and the tail of the test pcscd's log, kills the workers and exits 1.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

interface InFlight {
  since: number;
  lastTest?: string;
}

export default class StallWatchdog implements Reporter {
  private readonly limitMs = Number(process.env.HMSKORT_TEST_STALL_MIN ?? 10) * 60_000;
  private readonly inFlight = new Map<string, InFlight>();
  private timer: NodeJS.Timeout | undefined;

  onInit(): void {
    this.timer = setInterval(() => this.check(), 5_000);
    this.timer.unref();
  }

  onTestModuleStart(m: TestModule): void {
    this.inFlight.set(m.moduleId, { since: Date.now() });
  }

  onTestCaseReady(t: TestCase): void {
    const f = this.inFlight.get(t.module.moduleId);
    if (f) f.lastTest = t.fullName;
  }

  onTestModuleEnd(m: TestModule): void {
    this.inFlight.delete(m.moduleId);
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private check(): void {
    const now = Date.now();
    const stuck = [...this.inFlight].filter(([, f]) => now - f.since > this.limitMs);
    if (!stuck.length) return;
    const say = (s: string) => process.stderr.write(s + '\n');
    say(`\nstall watchdog: a test file has run for more than ${this.limitMs / 60_000} min; its worker is stuck (vitest's timeouts cannot fire in a blocked worker).`);
    for (const [id, f] of this.inFlight) say(`  in flight ${Math.round((now - f.since) / 1000)} s: ${id}${f.lastTest ? ` (last test started: ${f.lastTest})` : ''}`);
    const workers = childPids(process.pid);
    for (const pid of workers) say(`\n--- worker ${pid}: native stacks ---\n${stacks(pid)}`);
    const log = process.env.HMSKORT_PCSCD_LOG ?? `${process.env.TMPDIR ?? '/tmp'}/hmskort-pcscd.log`;
    if (existsSync(log)) say(`\n--- last lines of ${log} ---\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
    for (const pid of workers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(1);
  }
}

/** Direct children of `pid` (vitest's fork workers). */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8', timeout: 5_000 })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/**
 * Native stacks of `pid` when gdb is installed: the main thread (where a block shows) in full,
 * and for every other thread its first frame outside libc/libuv's waiting (who may hold a lock).
 */
function stacks(pid: number): string {
  let out: string;
  try {
    out = execFileSync('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt 12'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return `(no stacks: ${(e as Error).message.split('\n')[0]})`;
  }
  const lines: string[] = [];
  let thread = '';
  let shown = false;
  for (const l of out.split('\n')) {
    if (l.startsWith('Thread ')) {
      thread = l;
      shown = false;
      if (/^Thread 1 /.test(l)) lines.push(l);
    } else if (l.startsWith('#') && !/\?\? \(\)/.test(l)) {
      if (/^Thread 1 /.test(thread)) lines.push(l);
      else if (!shown && !/futex|pthread|epoll|clone|start_thread|uv_cond|uv__io_poll|uv_run|uv_sem|sem_wait|worker \(arg|PlatformWorkerThread/.test(l)) {
        lines.push(`${thread.replace(/ \(Thread 0x[0-9a-f]+/, ' (')}  ${l}`);
        shown = true;
      }
    }
  }
  return lines.join('\n');
}
