/**
 * A stack of blank virtual cards for production-line runs without hardware: each time the
 * reader is asked for a card it feeds the next blank (UIDs F0 00 00 01, F0 00 00 02, ...), and
 * `eject()` puts the finished card in the output tray. Every card's memory is saved to a folder
 * after every block write (write to a temporary file, then rename), so a process killed at any
 * moment finds the card in the field exactly as a real card would be: each block written or not
 * (MF1S50: a block write is all or nothing once acknowledged).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyType, MifareClassicCard } from '../transport/card.js';
import { VirtualMifareClassic1K } from './virtualCard.js';
import { VirtualCardReader } from './virtualReader.js';

export interface CardStackOptions {
  /** Folder holding `field.json` (the card in the field), `tray/` (finished cards) and `stack.json`. */
  dir: string;
  /** Delay before every card operation, to model air time (MF1S50: ~1-5 ms per command). */
  opDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A virtual card that saves its memory to `path` after each write. */
class SavedCard extends VirtualMifareClassic1K {
  constructor(
    uid: Uint8Array | string,
    private readonly path: string,
    private readonly delayMs: number,
  ) {
    super(uid);
  }

  save(): void {
    writeJsonAtomic(this.path, { uid: Buffer.from(this.uid).toString('hex'), blocks: this.exportBlocks() });
  }

  override async authenticate(block: number, keyType: KeyType, key: Uint8Array): Promise<void> {
    if (this.delayMs) await sleep(this.delayMs);
    return super.authenticate(block, keyType, key);
  }

  override async readBlock(block: number): Promise<Uint8Array> {
    if (this.delayMs) await sleep(this.delayMs);
    return super.readBlock(block);
  }

  override async writeBlock(block: number, data: Uint8Array): Promise<void> {
    if (this.delayMs) await sleep(this.delayMs);
    await super.writeBlock(block, data);
    this.save();
  }
}

/**
 * Writes `path` through a temporary file and a rename. Mode 0600: a card image holds the card's
 * derived keys in its trailers (issue 19 item 23; `--image-out` is 0600 too). A failed write (ENOSPC)
 * removes its temporary file: no 0-byte `*.tmp` is left behind.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export class VirtualCardStack extends VirtualCardReader {
  private readonly dir: string;
  private readonly delayMs: number;

  constructor(opts: CardStackOptions) {
    super('hmskort virtual card stack');
    this.dir = opts.dir;
    this.delayMs = opts.opDelayMs ?? 0;
    mkdirSync(join(this.dir, 'tray'), { recursive: true, mode: 0o700 });
  }

  private get fieldPath(): string {
    return join(this.dir, 'field.json');
  }

  /** Feeds a card into the field: the one left there by an earlier run, else the next blank. */
  private feed(): void {
    let card: SavedCard;
    if (existsSync(this.fieldPath)) {
      const saved = JSON.parse(readFileSync(this.fieldPath, 'utf8')) as { uid: string; blocks: string[] };
      card = new SavedCard(saved.uid, this.fieldPath, this.delayMs);
      card.importBlocks(saved.blocks);
    } else {
      const statePath = join(this.dir, 'stack.json');
      const next = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as { next: number }).next : 1;
      const uid = (0xf0000000 + next).toString(16).padStart(8, '0');
      card = new SavedCard(uid, this.fieldPath, this.delayMs);
      // Counter first: a kill between the two skips a UID, never hands one out twice.
      writeJsonAtomic(statePath, { next: next + 1 });
      card.save();
    }
    this.present(card);
  }

  override async waitForCard(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MifareClassicCard> {
    if (!this.card) this.feed();
    return super.waitForCard(opts);
  }

  /** Moves the card in the field to the output tray (the operator takes it off the reader). */
  eject(): void {
    const card = this.card;
    if (!card) return;
    renameSync(this.fieldPath, join(this.dir, 'tray', `${Buffer.from(card.uid).toString('hex')}.json`));
    this.remove();
  }

  /** Finished cards in the tray: UID hex -> 64 blocks. */
  tray(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const n of readdirSync(join(this.dir, 'tray')).filter((f) => f.endsWith('.json')).sort()) {
      out.set(n.slice(0, -5), (JSON.parse(readFileSync(join(this.dir, 'tray', n), 'utf8')) as { blocks: string[] }).blocks);
    }
    return out;
  }
}
