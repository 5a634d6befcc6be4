/** The spec's `card` examples (test-vectors/spec-examples.json, a copy of the spec's examples.json), as encoder input. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EncodeInput } from '../../src/card/encoder.js';
import type { HolderInput } from '../../src/codec/types.js';
import { fromHex as hex } from './hex.js';

export interface CardExample {
  id: string;
  uid: string;
  input: EncodeInput;
  readMaster: Uint8Array;
  writeMaster: Uint8Array;
  /** The 64 blocks of the finished card, from the spec. */
  blocks: string[];
  holder: HolderInput;
}


export function cardExamples(): CardExample[] {
  const file = resolve(import.meta.dirname, '../../test-vectors/spec-examples.json');
  const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { vectors: Array<{ id: string; kind: string; input: Record<string, unknown>; expect: { blocks: string[] } }> }).vectors;
  return vectors
    .filter((v) => v.kind === 'card')
    .map((v) => {
      const i = v.input as { holder: HolderInput; uid: string; readMaster: string; writeMaster: string; signingKey?: string; keyId?: number; truncate?: boolean };
      const input: EncodeInput = { holder: i.holder, readMaster: hex(i.readMaster), writeMaster: hex(i.writeMaster), truncate: i.truncate };
      if (i.signingKey) Object.assign(input, { signingKey: hex(i.signingKey), keyId: i.keyId });
      return { id: v.id, uid: i.uid, input, readMaster: input.readMaster, writeMaster: input.writeMaster, blocks: v.expect.blocks, holder: i.holder };
    });
}
