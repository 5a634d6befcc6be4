/**
 * The journal's lock: `JOURNAL.lock`, a small JSON file naming its holder (pid, host, start time of
 * the process, since when), so that a second batch on the same journal refuses at once and says who
 * holds it.
 *
 * Why not proper-lockfile: it locks with mkdir and judges staleness by an mtime it refreshes every
 * few seconds (its README, "Design"); it records no pid or host, so it cannot name the holder, and
 * a killed holder's lock is only free after the stale time. Here the holder is known, so a stale
 * lock is recognised at once and exactly: same host and (the pid is gone, or the pid now belongs to
 * a process that started at another time: pid reuse). A lock from another host is never broken:
 * we cannot see its processes; the message says how to remove it by hand.
 *
 * Creation is atomic with link(2): the content is written to a private temporary file first, then
 * linked to the lock's name, which fails with EEXIST if the name exists (the NFS-safe way that
 * open(2)'s O_EXCL notes describe). So nobody ever reads a half-written lock.
 * Taking over a stale lock: rename it to a private name (only one process can move that one file),
 * check that what moved is the stale lock read before (else put it back), delete it, link ours.
 * The holder checks before every journal append that the lock's name still points to its own file
 * (`verify()`), so a lock lost in a race is found before the next card, never after.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { JournalError } from './journalFormat.js';

export interface LockHolder {
  pid: number;
  host: string;
  /** Start time of the holder process (Linux: /proc/PID/stat field 22, clock ticks since boot). */
  start: string | null;
  /** When the lock was taken (ISO 8601). */
  since: string;
  nonce: string;
}

/**
 * Start time of a process, from proc(5) `/proc/PID/stat` field 22 "starttime". The command name
 * (field 2) is in parentheses and may hold spaces, so fields are counted after the last ')'.
 * null where /proc is absent (not Linux): then only the pid's existence is checked.
 */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** Why `holder` no longer holds anything, or undefined when it may still be running. */
export function staleReason(holder: LockHolder, host = hostname()): string | undefined {
  if (holder.host !== host) return undefined;
  if (!pidAlive(holder.pid)) return `process ${holder.pid} is gone`;
  const start = processStart(holder.pid);
  if (holder.start !== null && start !== null && start !== holder.start) return `pid ${holder.pid} now belongs to another process (started at tick ${start}, the holder at ${holder.start})`;
  return undefined;
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.nonce === 'string' ? h : undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JournalError('JOURNAL_LOCKED', `lock file ${path} is unreadable or damaged (${(e as Error).message}); if no batch runs on this journal, remove it`, { file: path }, { cause: e });
  }
}

export class JournalLock {
  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
    private readonly ino: number,
    /** A stale lock this one replaced, for the log. */
    readonly tookOver?: { holder: LockHolder; reason: string },
  ) {}

  /** Takes the lock or throws JournalError JOURNAL_LOCKED naming the holder. */
  static acquire(path: string): JournalLock {
    const me: LockHolder = { pid: process.pid, host: hostname(), start: processStart(process.pid), since: new Date().toISOString(), nonce: randomBytes(8).toString('hex') };
    const tmp = `${path}.${me.nonce}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new JournalError('JOURNAL_WRITE', `journal ${path.replace(/\.lock$/, '')}: cannot create its lock file ${path} (${(e as Error).message})`, { file: path }, { cause: e });
    }
    let tookOver: JournalLock['tookOver'];
    try {
      // Bounded: each round either links ours, refuses, or removes one stale lock.
      for (let round = 0; round < 5; round++) {
        try {
          linkSync(tmp, path);
          return new JournalLock(path, me, statSync(path).ino, tookOver);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const holder = readHolder(path);
        if (!holder) continue; // removed between link and read: try again
        const reason = staleReason(holder, me.host);
        if (!reason) throw lockedError(path, holder, me.host);
        if (removeIfSame(path, holder, me.nonce)) tookOver = { holder, reason };
      }
      throw new JournalError('JOURNAL_LOCKED', `lock file ${path}: could not take it in 5 rounds (other processes keep taking it); try again`, { file: path });
    } finally {
      unlinkSync(tmp);
    }
  }

  /** Throws JOURNAL_LOCK_LOST unless the lock's name still points to this process's lock file. */
  verify(): void {
    let ino: number | undefined;
    try {
      ino = statSync(this.path).ino;
    } catch {
      ino = undefined;
    }
    if (ino !== this.ino) {
      throw new JournalError('JOURNAL_LOCK_LOST', `lock file ${this.path} was removed or replaced while this batch ran; another process may be writing the journal. Stopped before the next card: check that only one batch runs on it, then run again`, { file: this.path });
    }
  }

  release(): void {
    try {
      if (statSync(this.path).ino === this.ino) unlinkSync(this.path);
    } catch {
      // already gone: nothing to release
    }
  }
}

/** Moves the stale lock away if it is still the one read; puts back what moved if it was not. Exported for its test. */
export function removeIfSame(path: string, stale: LockHolder, nonce: string): boolean {
  const aside = `${path}.${nonce}.stale`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // someone else removed it
    throw e;
  }
  const moved = readHolder(aside);
  if (moved?.nonce === stale.nonce) {
    unlinkSync(aside);
    return true;
  }
  // A live lock taken in between: restore it unless its name is taken again, in which case its
  // holder's verify() fails before it touches the next card.
  try {
    linkSync(aside, path);
  } catch {
    // EEXIST: see above
  }
  unlinkSync(aside);
  return false;
}

function lockedError(path: string, h: LockHolder, host: string): JournalError {
  const who = `process ${h.pid} on ${h.host}, since ${h.since}`;
  const how =
    h.host === host
      ? `Wait for it to finish, or stop it (kill ${h.pid}); a lock left by a killed process is taken over automatically`
      : `This host cannot see processes on ${h.host}: if no batch runs there any more, remove ${path} by hand and run again`;
  return new JournalError('JOURNAL_LOCKED', `journal ${path.replace(/\.lock$/, '')} is in use by ${who}. ${how}.`, { file: path });
}
