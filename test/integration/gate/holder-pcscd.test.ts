/**
 * The holder read after the decision (issue 18 part 1) through the real PC/SC stack: pcscd +
 * vsmartcard vpcd + our virtual card over TCP, the spec's signed card example. The APDUs vpcd
 * receives are counted: at the decision only the gate's own; a known card costs exactly what a
 * gate without holder reads costs (the baseline is measured, not assumed); a fresh card's record
 * comes back verified with the example's holder fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VpcdSlot, vpcdCardFromVirtual } from '../../../src/drivers/vpcd/client.js';
import { openPcscReader, type PcscCardReader } from '../../../src/drivers/pcsc/reader.js';
import { VirtualMifareClassic1K } from '../../../src/testing/virtualCard.js';
import { publicKeyOf } from '../../../src/card/signature.js';
import { Gate } from '../../../src/gate/gate.js';
import type { GateHolderEvent } from '../../../src/gate/holderRead.js';
import type { MifareClassicCard } from '../../../src/transport/card.js';
import { cardExamples } from '../../helpers/cardExamples.js';
import { VPCD_TEST_HOST, pcscdMissing, startPcscd, type PcscdHandle } from '../../helpers/pcscd.js';

const missing = await pcscdMissing();
const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = Date.UTC(2027, 0, 1, 12);
const publicKeys = { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) };

describe.skipIf(missing !== undefined)(`holder read over pcscd and vpcd${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let pcscd: PcscdHandle;
  let reader: PcscCardReader;
  let card: MifareClassicCard;
  const slot = new VpcdSlot({ host: VPCD_TEST_HOST });
  let apdus = 0;
  slot.on('apdu', () => apdus++);

  beforeAll(async () => {
    pcscd = await startPcscd();
    reader = await openPcscReader();
    reader.on('error', () => undefined);
    await slot.present(vpcdCardFromVirtual(VirtualMifareClassic1K.fromBlocks(ex.blocks)));
    card = await reader.waitForCard({ timeoutMs: 15_000 });
  }, 60_000);
  afterAll(async () => {
    await slot.remove();
    await reader?.close();
    await pcscd?.stop();
  });

  /** APDUs of one tap on `gate` (and of its holder read, when it has one), and the holder event. */
  async function tap(gate: Gate): Promise<{ atDecision: number; total: number; h?: GateHolderEvent }> {
    let h: GateHolderEvent | undefined;
    gate.once('holder', (e) => (h = e));
    const before = apdus;
    let atDecision = -1;
    gate.once('decision', () => (atDecision = apdus - before));
    const d = await gate.tap(card);
    expect(d).toMatchObject({ allow: true, cardNumber: '123456' });
    await gate.stop();
    return { atDecision, total: apdus - before, h };
  }

  it('a known card costs what a gate without holder reads costs; a fresh one is read after the decision and verified', async () => {
    // Twice each: the first tap loads the gate's key into the reader (one APDU more).
    const plain = new Gate({ readMaster: ex.readMaster, clock: () => NOW });
    const cold = (await tap(plain)).total; // with the LOAD KEY of sector 1's key
    const baseline = (await tap(plain)).total;
    const knownGate = new Gate({ readMaster: ex.readMaster, clock: () => NOW, holderRead: { known: () => true, publicKeys } });
    await tap(knownGate);
    expect((await tap(knownGate)).total).toBe(baseline);

    const fresh = new Gate({ readMaster: ex.readMaster, clock: () => NOW, holderRead: { publicKeys } });
    await tap(fresh);
    const t = await tap(fresh);
    // At the decision, only the gate's own APDUs; the reader holds sector 5's key after the previous
    // holder read, so the gate loads its key again: the cold cost.
    expect(t.atDecision).toBe(cold);
    expect(cold).toBe(baseline + 1);
    expect(t.total).toBeGreaterThan(baseline + 20);
    expect(t.h?.holder).toEqual({ name: `${ex.holder.givenName} ${ex.holder.familyName}`, birthDate: ex.holder.birthDate, orgName: ex.holder.orgName });
    expect(fresh.holderStats).toMatchObject({ reads: 2, verified: 2 });
  }, 60_000);
});
