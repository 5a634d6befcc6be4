/**
 * One tap in progress on a Gate: the card, its UID and when it was detected, and the tap's promise
 * callbacks, bound once per TapRun rather than made per tap (three closures a tap cost about 180
 * bytes, issue 14 item 4). The gate pools idle runs (gate.ts tap, finish).
 */
import type { MifareClassicCard } from '../transport/card.js';
import { GATE_BLOCK } from '../card/layout.js';

export class TapRun<E> {
  card: MifareClassicCard | undefined;
  uid = '';
  detected = 0;
  constructor(private readonly finish: (run: TapRun<E>, block: Uint8Array | undefined, failure: unknown) => E) {}
  /** After the authentication: the read of block 4 (spec section 3). */
  readonly read = (): Promise<Uint8Array> => this.card!.readBlock(GATE_BLOCK);
  readonly ok = (block: Uint8Array): E => this.finish(this, block, undefined);
  readonly failed = (e: unknown): E => this.finish(this, undefined, e);
}
