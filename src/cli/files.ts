/**
 * File helpers shared by the CLI commands: JSON and hex input with errors that name the file, and
 * output paths checked before any work (makeOutputDir, checkOutputFile).
 */
import { mkdir, open, readFile, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from './command.js';
import { hexOption } from './options.js';
import { printable } from '../codec/printable.js';
import type { ErrorKind } from '../codec/errors.js';

/**
 * An input file that cannot be read (missing, no permission, a directory): an I/O error, kind
 * 'device' (exit 4), naming the path. `code` EREAD and `syscall` as before, so callers that branch
 * on them still do; the file system's own error is `cause`.
 */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  readonly code = 'EREAD';
  readonly syscall: string;
  readonly path: string;
  get kind(): ErrorKind {
    return 'device';
  }
  constructor(path: string, cause: unknown) {
    super(`cannot read ${path}: ${(cause as Error).message}`, { cause });
    this.syscall = (cause as NodeJS.ErrnoException).syscall ?? 'open';
    this.path = path;
  }
}

/** NUL or undecodable bytes: not a text file at all. */
const looksBinary = (text: string) => /[\u0000\ufffd]/.test(text.slice(0, 4096));

export async function readJsonFile(path: string, cwd = process.cwd()): Promise<unknown> {
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    throw new FileReadError(path, e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // Node's message quotes the text it stopped at as is (binary, escape sequences): printable and cut.
    throw new InputError(`${path} is not valid JSON: ${printable((e as Error).message, 120)}${looksBinary(text) ? ' (a binary file?)' : ''}`, { cause: e });
  }
}

/** Expands directories to the *.json files inside them (sorted), keeps files as given. */
export async function expandJsonPaths(paths: string[], cwd = process.cwd()): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    let st;
    try {
      st = await stat(full);
    } catch {
      out.push(p); // reported as unreadable by the caller
      continue;
    }
    if (st.isDirectory()) {
      const names = (await readdir(full)).filter((n) => n.endsWith('.json')).sort();
      for (const n of names) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

/** Parses a hex option value, or throws a UsageError naming the option. */
export function hexArg(value: string | undefined, option: string, lengths?: number[]): Uint8Array {
  const b = hexOption(value, option, lengths);
  if (!b) throw new UsageError(`${option} is required`);
  return b;
}

/**
 * An output path that cannot be written: an I/O error (exit 4) naming the path and the option, with
 * the errno code and syscall of the failure so callers can branch on them.
 */
export class OutputPathError extends Error {
  override readonly name = 'OutputPathError';
  readonly code: string;
  readonly syscall: string;
  readonly path: string;
  get kind(): ErrorKind {
    return 'device';
  }
  constructor(what: string, path: string, reason: string, cause?: NodeJS.ErrnoException) {
    super(`${what} ${path}: ${reason}`, cause ? { cause } : undefined);
    this.code = cause?.code ?? 'EOUTPUT';
    this.syscall = cause?.syscall ?? 'open';
    this.path = path;
  }
}

const reasonOf = (e: NodeJS.ErrnoException) => `${e.code ?? 'error'}${e.code === 'ENOENT' ? ' (cannot be created there)' : ''}: ${e.message.replace(/^[A-Z]+: /, '')}`;

/**
 * Creates the output directory `path` (and missing parents) or fails at once naming it.
 *
 * Not `mkdir(path, { recursive: true })`: where a directory exists but refuses a child with ENOENT
 * (procfs: `mkdir /proc/nope`), Node's recursive mkdir takes the ENOENT for a missing parent,
 * "creates" the parent (EEXIST) and tries again, for ever, at 100 % CPU in the thread pool
 * (issue 19 item 7; the same loop is described in oven-sh/bun#40600 and Kewton/CommandMate#1774).
 * Here the missing components are found by stat, created one by one without `recursive`, and the
 * first error is final: at most one mkdir per path component. Then a probe file is created and
 * removed, so a directory that exists but takes no files (/proc, a read-only mount) fails too.
 */
export async function makeOutputDir(path: string, what: string, cwd = process.cwd()): Promise<string> {
  const full = resolve(cwd, path);
  const missing: string[] = [];
  for (let p = full; ; ) {
    try {
      if (!(await stat(p)).isDirectory()) throw new OutputPathError(what, path, `${p === full ? 'exists and' : `${p}`} is not a directory`, Object.assign(new Error('not a directory'), { code: 'ENOTDIR', syscall: 'mkdir' }));
      break;
    } catch (e) {
      if (e instanceof OutputPathError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'ENOENT' || dirname(p) === p) throw new OutputPathError(what, path, reasonOf(err), err);
      missing.push(p);
      p = dirname(p);
    }
  }
  for (const dir of missing.reverse()) {
    try {
      await mkdir(dir);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // Made meanwhile by someone else: fine if it is a directory.
      if (err.code === 'EEXIST' && (await stat(dir).then((s) => s.isDirectory(), () => false))) continue;
      throw new OutputPathError(what, path, reasonOf(err), err);
    }
  }
  const probe = join(full, `.hmskort-write-test-${process.pid}`);
  try {
    await (await open(probe, 'wx')).close();
    await unlink(probe);
  } catch (e) {
    throw new OutputPathError(what, path, `not writable, ${reasonOf(e as NodeJS.ErrnoException)}`, e as NodeJS.ErrnoException);
  }
  return full;
}

/**
 * Checks, before any work, that the output file `path` can be written: an existing file is opened
 * for appending (its content and times untouched), a new one is created and removed again. Fails
 * with OutputPathError naming the path (a missing directory, a directory given as the file, no
 * permission). Returns the absolute path.
 */
export async function checkOutputFile(path: string, what: string, cwd = process.cwd()): Promise<string> {
  const full = resolve(cwd, path);
  try {
    const st = await stat(full).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
    if (st?.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR', syscall: 'open' });
    // A FIFO, /dev/stdout or /dev/null is taken as given: opening a FIFO with no reader would wait.
    if (st && !st.isFile()) return full;
    if (st) await (await open(full, 'a')).close();
    else {
      await (await open(full, 'wx')).close();
      await unlink(full);
    }
  } catch (e) {
    throw new OutputPathError(what, path, reasonOf(e as NodeJS.ErrnoException), e as NodeJS.ErrnoException);
  }
  return full;
}

/** checkOutputFile for each `[option, path]` given (paths left undefined are skipped), in order. */
export async function checkOutputFiles(outputs: ReadonlyArray<readonly [string, string | undefined]>, cwd = process.cwd()): Promise<void> {
  for (const [option, path] of outputs) if (path !== undefined) await checkOutputFile(path, option, cwd);
}
