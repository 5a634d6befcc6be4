/**
 * Card layer costs on the virtual MIFARE Classic 1K (MF1S50 model, no air time): a full encode of
 * the spec's `card` examples on a blank card (signed: includes one Ed25519 signature), a gate read
 * (KDF + 1 auth + 1 read + gate-block decode) and a full read with signature verification. On a
 * real reader the card commands dominate (see the operation counts in the README).
 */
import type { BenchCase } from '../harness.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import { encodeCard, type EncodeInput } from '../../src/card/encoder.js';
import { fullRead, gateRead } from '../../src/card/readers.js';
import { publicKeyOf } from '../../src/card/signature.js';
import { cardExamples } from '../../test/helpers/cardExamples.js';

const [signed, unsigned] = ['card-signed-4-byte-uid', 'card-unsigned-7-byte-uid'].map((id) => cardExamples().find((e) => e.id === id)!);
const encodeCase = (name: string, uid: string, input: EncodeInput, blocks: string[]): BenchCase => ({
  name,
  fn: async () => {
    const card = new VirtualMifareClassic1K(uid);
    await encodeCard(card, input);
    return card;
  },
  check: (card: VirtualMifareClassic1K) => card.exportBlocks().every((b, i) => b === blocks[i]),
});

export const cases: BenchCase[] = [
  encodeCase('card/encode-unsigned-virtual', unsigned.uid, unsigned.input, unsigned.blocks),
  encodeCase('card/encode-signed-virtual', signed.uid, signed.input, signed.blocks),
  {
    name: 'card/gate-read-virtual',
    setup: () => VirtualMifareClassic1K.fromBlocks(signed.blocks),
    fn: (card: VirtualMifareClassic1K) => gateRead(card, signed.readMaster),
    check: (r: Awaited<ReturnType<typeof gateRead>>) => r.holder.cardNumber === '123456',
  },
  {
    name: 'card/full-read-verify-virtual',
    setup: () => VirtualMifareClassic1K.fromBlocks(signed.blocks),
    fn: (card: VirtualMifareClassic1K) => fullRead(card, { readMaster: signed.readMaster, publicKeys: { '1': publicKeyOf(signed.input.signingKey!) } }),
    check: (r: Awaited<ReturnType<typeof fullRead>>) => r.signature === 'valid',
  },
];
