/**
 * `printer replay`: a captured command stream (what any driver sent to an Evolis printer) through
 * the emulator's parser and state machine, giving each command's meaning and reply and every panel
 * printed (issue 16 part 4). The emulator's feeder never runs out here and no injection is set, so
 * what the transcript shows comes from the stream alone.
 */
import { EvolisEmulator, type TranscriptEntry } from './emulator.js';
import { printedPanelPng, type EmulatedPrinterCard } from './machine.js';
import { inkDots } from './panels.js';
import { needBytes } from '../../codec/guard.js';

export interface ReplayedPanel {
  /** 1 for the first card of the stream. */
  card: number;
  side: 'front' | 'back';
  panel: string;
  levels: number;
  offset: number;
  /** A file name for it: card-1-front-k.png (a second download of the same panel gets -2). */
  name: string;
  /** Ink dots of a K/O panel. */
  ink?: number;
  /** The landscape PNG, or undefined when the panel could not be decoded. */
  png?: Buffer;
  problem?: string;
}

export interface ReplayResult {
  transcript: TranscriptEntry[];
  /** Commands not in the documents, with their offsets. */
  unknown: TranscriptEntry[];
  /** Commands with a malformed frame or a refused parameter. */
  problems: TranscriptEntry[];
  panels: ReplayedPanel[];
  cards: Array<Pick<EmulatedPrinterCard, 'n' | 'fate' | 'path' | 'tracks' | 'coercivity'>>;
}

export async function replayEvolisStream(bytes: Uint8Array): Promise<ReplayResult> {
  needBytes('replayEvolisStream', 'bytes', bytes);
  const em = new EvolisEmulator({ feeder: Number.MAX_SAFE_INTEGER });
  await em.write(bytes);
  await em.end();
  return {
    transcript: em.transcript,
    unknown: em.unknownCommands,
    problems: em.transcript.filter((e) => e.problem !== undefined && e.known !== 'unknown'),
    panels: cardPanels(em.cards),
    cards: em.cards.map(({ n, fate, path, tracks, coercivity }) => ({ n, fate, path, tracks, coercivity })),
  };
}

/** Every panel printed on `cards`, named card-N-SIDE-PANEL.png, with its PNG: replay and `batch --emulator-out` name them alike. */
export function cardPanels(cards: readonly EmulatedPrinterCard[]): ReplayedPanel[] {
  const panels: ReplayedPanel[] = [];
  const names = new Set<string>();
  for (const card of cards) {
    for (const p of card.panels) {
      let name = `card-${card.n}-${p.side}-${p.panel}`;
      for (let k = 2; names.has(name); k++) name = `card-${card.n}-${p.side}-${p.panel}-${k}`;
      names.add(name);
      panels.push({ card: card.n, side: p.side, panel: p.panel, levels: p.levels, offset: p.offset, name: `${name}.png`, ink: p.bitmap && p.levels === 2 ? inkDots(p.bitmap) : undefined, png: printedPanelPng(p), problem: p.problem });
    }
  }
  return panels;
}
