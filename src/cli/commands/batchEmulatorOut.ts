/**
 * `batch --printer emulator --emulator-out DIR`: what the dry run would have put on cards, to look
 * at. Each printed panel as a PNG (named as `printer replay` names them), tracks.json (each card's
 * UID, stripes and fate: the output tray or the reject box) and stream.prn, the bytes our driver
 * sent, so `hmskort printer replay DIR/stream.prn --out D2` shows the same panels from the stream.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvolisEmulator } from '../../testing/evolisEmulator/emulator.js';
import { cardPanels } from '../../testing/evolisEmulator/replay.js';

/** Where each card went, in the words an operator uses (CardFate of the emulator). */
const FATES = { output: 'output tray', reject: 'reject box', inside: 'still in the printer', removed: 'taken out' } as const;

export async function writeEmulatorOut(dir: string, emulator: EvolisEmulator, stream: readonly Uint8Array[]): Promise<{ panels: number; cards: number }> {
  const panels = cardPanels(emulator.cards);
  for (const p of panels) if (p.png) await writeFile(join(dir, p.name), p.png);
  const cards = emulator.cards.map((c) => ({ n: c.n, uid: c.uid, fate: FATES[c.fate], tracks: c.tracks, coercivity: c.coercivity, panels: panels.filter((p) => p.card === c.n).map((p) => p.name) }));
  await writeFile(join(dir, 'tracks.json'), JSON.stringify({ cards }, null, 2) + '\n');
  await writeFile(join(dir, 'stream.prn'), Buffer.concat(stream.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength))));
  return { panels: panels.length, cards: cards.length };
}
