/**
 * The MSR206 / MSR605 / MSR606 command set (MSR605 Programmer's Manual rev. B, section 6; MSR206
 * Programmer's Manual UDN PM017-U rev. C.1): command bytes and the [Data Block] / [Raw Data
 * Block] the write commands carry (section 7). Pure: bytes only.
 */
export const ESC = 0x1b;
export const FS = 0x1c;
/** Status bytes of section 7. */
export const STATUS_OK = 0x30;

export const CMD = {
  reset: [ESC, 0x61], // ESC a: no response
  readIso: [ESC, 0x72], // ESC r
  writeIso: [ESC, 0x77], // ESC w [Data Block]
  commTest: [ESC, 0x65], // ESC e -> ESC y
  ledsOff: [ESC, 0x81],
  ledsOn: [ESC, 0x82],
  ledGreen: [ESC, 0x83],
  ledYellow: [ESC, 0x84],
  ledRed: [ESC, 0x85],
  sensorTest: [ESC, 0x86], // -> ESC 0 when a card is sensed
  ramTest: [ESC, 0x87], // -> ESC 0 | ESC A
  setLeadingZeros: [ESC, 0x7a], // ESC z [tk1&3][tk2] -> ESC 0 | ESC A
  getLeadingZeros: [ESC, 0x6c], // ESC l -> ESC [tk1&3][tk2]
  erase: [ESC, 0x63], // ESC c [select] -> ESC 0 | ESC A
  setBpi: [ESC, 0x62], // ESC b [density] -> ESC 0 | ESC A
  readRaw: [ESC, 0x6d], // ESC m
  writeRaw: [ESC, 0x6e], // ESC n [Raw Data Block]
  model: [ESC, 0x74], // ESC t -> ESC [model] S
  firmware: [ESC, 0x76], // ESC v -> ESC [version]
  setBpc: [ESC, 0x6f], // ESC o [t1][t2][t3] -> ESC 0 [t1][t2][t3]
  setHiCo: [ESC, 0x78], // ESC x -> ESC 0
  setLoCo: [ESC, 0x79], // ESC y -> ESC 0
  getCoercivity: [ESC, 0x64], // ESC d -> ESC H | ESC L
} as const;

export type TrackSet = readonly (1 | 2 | 3)[];

/** Erase [Select Byte] of section 6 command 14. Note track 1 alone is 00000000, not 00000001. */
export function eraseSelectByte(tracks: TrackSet): number {
  const t = new Set(tracks);
  if (t.size === 0) throw new RangeError('erase needs at least one track');
  if (t.size === 1 && t.has(1)) return 0x00;
  return (t.has(1) ? 1 : 0) | (t.has(2) ? 2 : 0) | (t.has(3) ? 4 : 0);
}

/** Tracks named by an erase select byte, or undefined for a byte the manual does not list. */
export function eraseSelectTracks(select: number): TrackSet | undefined {
  const table: Record<number, TrackSet> = { 0: [1], 2: [2], 4: [3], 3: [1, 2], 5: [1, 3], 6: [2, 3], 7: [1, 2, 3] };
  return table[select];
}

/** Select BPI [Density] bytes (command 15): per track, 210 or 75 bits per inch. */
export function bpiByte(track: 1 | 2 | 3, bpi: 75 | 210): number {
  if (track === 1) return bpi === 210 ? 0xa1 : 0xa0;
  if (track === 2) return bpi === 210 ? 0xd2 : 0x4b;
  return bpi === 210 ? 0xc1 : 0xc0;
}

const bytesOf = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * [Data Block] of an ISO write: ESC s, ESC 1 [string1] ESC 2 [string2] ESC 3 [string3], ? FS.
 * Strings go WITHOUT start and end sentinels (manual section 9: "ABC123" is written as %ABC123?);
 * the device adds sentinels and LRC. An absent track is left out (its header too).
 */
export function isoDataBlock(tracks: Partial<Record<1 | 2 | 3, string>>): Uint8Array {
  const out = [ESC, 0x73];
  for (const n of [1, 2, 3] as const) {
    const s = tracks[n];
    if (s === undefined) continue;
    if (/[\x00-\x1f\x7f-\uffff?]/.test(s)) throw new RangeError(`track ${n} data must be printable ASCII without ?`);
    out.push(ESC, n, ...bytesOf(s));
  }
  out.push(0x3f, FS);
  return Uint8Array.from(out);
}

/** [Raw Data Block]: ESC s, ESC n [Ln][bytes] for each given track, ? FS (section 7). */
export function rawDataBlock(tracks: Partial<Record<1 | 2 | 3, Uint8Array>>): Uint8Array {
  const out = [ESC, 0x73];
  for (const n of [1, 2, 3] as const) {
    const b = tracks[n];
    if (b === undefined) continue;
    if (b.length > 255) throw new RangeError(`track ${n} raw data is longer than 255 bytes`);
    out.push(ESC, n, b.length, ...b);
  }
  out.push(0x3f, FS);
  return Uint8Array.from(out);
}
