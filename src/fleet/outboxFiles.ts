/**
 * The outbox on disk (issue 17 part 2): a directory of JSON-lines segments and one cursor file.
 *
 *   seg-<first seq, 16 digits>.jsonl   PresenceEvent lines, seq ascending without gaps
 *   delivered                          "<seq>\n": every event up to seq is durable at the sink
 *
 * The cursor is replaced atomically (written to delivered.tmp, fsync'd, renamed over: rename(2) is
 * atomic within a file system, POSIX.1-2017 rename()), so a gate killed at any instant finds either
 * the old cursor or the new one. A segment's last line can be torn by a crash mid-append (power
 * loss; a SIGKILL after write(2) returned leaves whole lines): the tail after the last newline is
 * cut off when the outbox opens.
 */
import { open, readdir, readFile, rename, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FleetError } from './errors.js';

const SEG = /^seg-(\d{16})\.jsonl$/;

export function segmentName(firstSeq: number): string {
  return `seg-${String(firstSeq).padStart(16, '0')}.jsonl`;
}

/** First seqs of the segments in `dir`, ascending, and their sizes. */
export async function listSegments(dir: string): Promise<{ first: number; bytes: number }[]> {
  const names = (await readdir(dir)).filter((n) => SEG.test(n));
  const out: { first: number; bytes: number }[] = [];
  for (const n of names) out.push({ first: Number(SEG.exec(n)![1]), bytes: (await stat(join(dir, n))).size });
  return out.sort((a, b) => a.first - b.first);
}

/** The delivered seq in `dir`'s cursor; 0 when there is none. A cursor that does not parse is an error (the caller decides). */
export async function readCursor(dir: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(join(dir, 'delivered'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new FleetError('OUTBOX_IO', `${join(dir, 'delivered')}: ${(e as Error).message}`, { cause: e });
  }
  const m = /^(\d{1,16})\n?$/.exec(text);
  if (!m) throw new FleetError('EVENT_MALFORMED', `${join(dir, 'delivered')}: ${JSON.stringify(text.slice(0, 40))} is not a sequence number`);
  return Number(m[1]);
}

/** Replaces the cursor atomically: temp file, fsync, rename. */
export async function writeCursor(dir: string, seq: number, sync: boolean): Promise<void> {
  const tmp = join(dir, 'delivered.tmp');
  const fh = await open(tmp, 'w', 0o640);
  try {
    await fh.writeFile(`${seq}\n`);
    if (sync) await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, 'delivered'));
}

/**
 * The last seq in a segment, after cutting a torn tail (bytes after the last newline). Returns the
 * seq of the last whole line that parses, or undefined; `bytes` is the size after the cut.
 */
export async function segmentTail(path: string): Promise<{ lastSeq: number | undefined; bytes: number; cut: number }> {
  const buf = await readFile(path);
  const end = buf.lastIndexOf(0x0a) + 1;
  let cut = 0;
  if (end < buf.length) {
    cut = buf.length - end;
    await truncate(path, end);
  }
  const lines = buf.subarray(0, end).toString('utf8').split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const seq = seqOf(lines[i]);
    if (seq !== undefined) return { lastSeq: seq, bytes: end, cut };
  }
  return { lastSeq: undefined, bytes: end, cut };
}

/** The seq of an outbox line, or undefined when the line is not an event. */
export function seqOf(line: string): number | undefined {
  if (line === '') return undefined;
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return Number.isSafeInteger(seq) && (seq as number) >= 1 ? (seq as number) : undefined;
  } catch {
    return undefined;
  }
}

export async function removeSegment(dir: string, first: number): Promise<void> {
  await unlink(join(dir, segmentName(first))).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}

/** Reads up to `max` bytes of a segment from `offset`; only whole lines are returned with the bytes they take. */
export async function readLines(path: string, offset: number, max: number): Promise<{ lines: string[]; consumed: number }> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, offset);
    const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    // No newline in a full read: a line longer than any event (corruption); consumed as one bad line.
    if (end === 0) return bytesRead === max ? { lines: ['(a line longer than the read buffer)'], consumed: bytesRead } : { lines: [], consumed: 0 };
    const lines = buf.subarray(0, end - 1).toString('utf8').split('\n');
    return { lines, consumed: end };
  } finally {
    await fh.close();
  }
}
