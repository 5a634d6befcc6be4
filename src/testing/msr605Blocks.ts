/**
 * The write blocks the MSR605 emulator receives (MSR605 Programmer's Manual rev. B, section 7):
 * [Data Block] = ESC s, ESC n [string] for each track, ? FS (ISO write, strings without
 * sentinels); [Raw Data Block] = ESC s, ESC n [Ln][bytes] for each track, ? FS. Parsed from
 * `at` (just after the command's two bytes); undefined while incomplete.
 */
const ESC = 0x1b;
const FS = 0x1c;

export type BlockResult<T> = { used: number; tracks: (T | undefined)[] } | { used: number; bad: true } | undefined;

export function parseIsoWriteBlock(b: number[], at: number): BlockResult<string> {
  if (b.length < at + 2) return undefined;
  if (b[at] !== ESC || b[at + 1] !== 0x73) return { used: at, bad: true };
  const end = b.indexOf(FS, at + 2);
  if (end < 0) return undefined;
  const tracks: (string | undefined)[] = [undefined, undefined, undefined];
  let cur = -1;
  for (let i = at + 2; i < end - 1; i++) {
    if (b[i] === ESC && b[i + 1] >= 1 && b[i + 1] <= 3) {
      cur = b[i + 1] - 1;
      tracks[cur] = '';
      i++;
    } else if (cur < 0) return { used: end + 1, bad: true };
    else tracks[cur] += String.fromCharCode(b[i]);
  }
  if (b[end - 1] !== 0x3f) return { used: end + 1, bad: true };
  return { used: end + 1, tracks };
}

export function parseRawWriteBlock(b: number[], at: number): BlockResult<Uint8Array> {
  if (b.length < at + 2) return undefined;
  if (b[at] !== ESC || b[at + 1] !== 0x73) return { used: at, bad: true };
  const tracks: (Uint8Array | undefined)[] = [undefined, undefined, undefined];
  for (let i = at + 2; ; ) {
    if (i + 1 >= b.length) return undefined;
    if (b[i] === 0x3f && b[i + 1] === FS) return { used: i + 2, tracks };
    if (b[i] !== ESC || b[i + 1] < 1 || b[i + 1] > 3) return { used: i + 2, bad: true };
    if (i + 2 >= b.length) return undefined;
    const len = b[i + 2];
    if (i + 3 + len > b.length) return undefined;
    tracks[b[i + 1] - 1] = Uint8Array.from(b.slice(i + 3, i + 3 + len));
    i += 3 + len;
  }
}
