/**
 * Fixtures for the batch library's unit tests (test/unit/batch/): two order files whose sha256 was
 * computed outside the code under test (`sha256sum` of the same bytes), the spec examples' keys, a
 * VirtualCardStack whose cards can be given faults as they are fed, and readers of what a batch
 * leaves behind (the journal's lines as JSON, the tray's cards decoded by `fullRead`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromHex } from '../../src/codec/hex.js';
import { fullRead } from '../../src/card/readers.js';
import { VirtualCardStack } from '../../src/testing/cardStack.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import type { MifareClassicCard } from '../../src/transport/card.js';

const HEADER = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue';
// The holders of the spec examples `encode-construction` and `encode-cleaning-leading-zeros`.
const KARI = 'o1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0';
const JAN = 'o2,cleaning,000000004711,923609016,Renhold Øst AS,Jan,Kowalski,1991-11-02,M,2027-01-15,2';
// The spec's example of a wrong organisation-number check digit (974760674), on line 3.
const BAD = 'bad,construction,777,974760674,Bygg AS,Ola,Nordmann,1980-01-01,M,2030-12-31,0';

/** Two valid orders; sha256 from `sha256sum`. */
export const VALID = { text: [HEADER, KARI, JAN].join('\n') + '\n', sha256: '9a95cf055958fa8a5599d1448fc1ca196324d1bb2c468cac4f5b3b268c6dd075' };
/** The same two orders with an invalid row (line 3) between them; sha256 from `sha256sum`. */
export const MIXED = { text: [HEADER, KARI, BAD, JAN].join('\n') + '\n', sha256: '9aca5762aa9fa37c5c45309ee0d93f0155105521c5de2f23669c1fa80b10967a' };

/** What the two orders' cards must decode to: the CSV's values (card number without leading zeros). */
export const HOLDERS = {
  o1: { category: 'construction', cardNumber: '123456', orgNumber: '974760673', orgName: 'Brønnøysund Bygg AS', givenName: 'Kari Ærlig', familyName: 'Østby-Hågensen', birthDate: '1985-04-17', gender: 'F', expiry: '2028-06-30', issue: 0 },
  o2: { category: 'cleaning', cardNumber: '4711', orgNumber: '923609016', orgName: 'Renhold Øst AS', givenName: 'Jan', familyName: 'Kowalski', birthDate: '1991-11-02', gender: 'M', expiry: '2027-01-15', issue: 2 },
};

export const KEYS = { readMaster: fromHex('000102030405060708090a0b0c0d0e0f'), writeMaster: fromHex('101112131415161718191a1b1c1d1e1f') };

export const tempDir = () => mkdtempSync(join(tmpdir(), 'hmsk-batch-unit-'));

/** Call at a test file's top level: a maker of temporary folders, each removed after its test. */
export function tempDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  return () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
}

/** The journal's lines, each parsed as JSON (the file as a reader other than Journal sees it). */
export function journalLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `t uid #order` of each line, e.g. 'begin f0000001 #0'. */
export const lineTags = (path: string) => journalLines(path).map((e) => [e.t, e.uid, e.order === undefined ? undefined : `#${e.order}`].filter((x) => x !== undefined).join(' '));

/** A stack of blank virtual cards; `onCard` sees each card as it is handed out (to give it faults). */
export class FaultyStack extends VirtualCardStack {
  handedOut: string[] = [];
  onCard?: (card: VirtualMifareClassic1K, n: number) => void;

  override async waitForCard(opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<MifareClassicCard> {
    const c = await super.waitForCard(opts);
    this.handedOut.push(Buffer.from(c.uid).toString('hex'));
    this.onCard?.(this.card!, this.handedOut.length - 1);
    return c;
  }
}

/** Decodes a card image (64 blocks, as the stack saves them) with `fullRead`, as a gate would. */
export async function decodeImage(uid: string, blocks: string[]) {
  const card = new VirtualMifareClassic1K(uid);
  card.importBlocks(blocks);
  return fullRead(card, { readMaster: KEYS.readMaster });
}

/** The card left in the stack's field, decoded (or undefined when the field is empty). */
export async function decodeField(dir: string) {
  const saved = JSON.parse(readFileSync(join(dir, 'field.json'), 'utf8')) as { uid: string; blocks: string[] };
  return decodeImage(saved.uid, saved.blocks);
}
