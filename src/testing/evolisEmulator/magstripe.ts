/**
 * What `Dm;t;DATA` may carry, per track format (evolis.md §3).
 *
 * - ISO modes: data "without" start and end sentinels and LRC, which "are automatically handled by
 *   the magnetic encoder" (S1 p.49; S12 Quantum manual p.19-20). The strict default refuses data
 *   that begins with the ISO start sentinel (`%` for the alphanumeric format, `;` for the numeric
 *   ones): that is a driver sending the sentinel the printer adds itself.
 * - Character sets (S12): ISO1 alphanumeric, ASCII 0x20-0x5F "except for the ? character", 79
 *   characters with Start, Stop and LRC, so 76 of data; ISO2 numeric, ASCII 48-62 (0x30-0x3E), 40
 *   with them, so 37; ISO3 numeric as ISO2, 107, so 104.
 * - Custom formats (`Pmt;t;4|5|6`, `C1|C2|C4`, S1 p.51): data as hex digit pairs (S11's 5-bit
 *   example `Dm;1;1003011D0411...`).
 */

export type TrackNumber = 1 | 2 | 3;

interface IsoFormat {
  readonly name: string;
  readonly first: number;
  readonly last: number;
  readonly max: number;
  readonly startSentinel: string;
}

/** `Pmt;t;f` format code -> the ISO alphabet and length (S1 p.51; S12). */
const ISO: Readonly<Record<string, IsoFormat>> = {
  '1': { name: 'ISO1', first: 0x20, last: 0x5f, max: 76, startSentinel: '%' },
  '2': { name: 'ISO2', first: 0x30, last: 0x3e, max: 37, startSentinel: ';' },
  '3': { name: 'ISO3', first: 0x30, last: 0x3e, max: 104, startSentinel: ';' },
};
const CUSTOM = new Set(['4', '5', '6', 'C1', 'C2', 'C4']);

/** True when `format` is a track format code of `Pmt` (S1 p.51). */
export function isTrackFormat(format: string): boolean {
  return format in ISO || CUSTOM.has(format);
}

/** Why `data` cannot be downloaded for a track in `format`, or undefined when it can. */
export function trackDataProblem(format: string, data: string): string | undefined {
  const iso = ISO[format];
  if (!iso) return /^([0-9A-Fa-f]{2})*$/.test(data) ? undefined : `custom format ${format} takes hex digit pairs (S11)`;
  if (data.length > iso.max) return `${data.length} characters, ${iso.name} takes at most ${iso.max} (S12)`;
  if (data.startsWith(iso.startSentinel)) return `${iso.name} data is sent without its start sentinel ${iso.startSentinel} (S1 p.49)`;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c < iso.first || c > iso.last || data[i] === '?') return `character ${JSON.stringify(data[i])} at ${i} is not in the ${iso.name} set (S12)`;
  }
  return undefined;
}
