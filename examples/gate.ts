/**
 * Access-control gate: every card presented is read with one authentication and one read of
 * block 4 (spec section 3) and decided against a hot list and a site policy (section 7). Runs
 * here on a virtual reader; at a turnstile use a PC/SC reader and the read master only.
 *
 *   npx tsx examples/gate.ts
 */
import { buildCardImage, parseKeysFile, type HolderInput } from 'hmskort';
import { Gate, parseHotlist, type GateDecisionEvent } from 'hmskort/gate';
import { VirtualCardReader, VirtualMifareClassic1K } from 'hmskort/testing';

// A gate holds the read master only.
const keys = parseKeysFile({ readMaster: '000102030405060708090a0b0c0d0e0f' });
const writeMaster = Uint8Array.from(Buffer.from('101112131415161718191a1b1c1d1e1f', 'hex')); // only to make the test cards here

const kari: HolderInput = { category: 'construction', cardNumber: '123456', orgNumber: '974760673', orgName: 'Brønnøysund Bygg AS', givenName: 'Kari Ærlig', familyName: 'Østby-Hågensen', birthDate: '1985-04-17', gender: 'F', expiry: '2028-06-30' };
const ola: HolderInput = { ...kari, cardNumber: '777', givenName: 'Ola', familyName: 'Nordmann' };

export async function main(log: (line: string) => void = console.log, now = Date.parse('2027-03-01T07:00:00Z')): Promise<GateDecisionEvent[]> {
  const hotlist = parseHotlist(new TextEncoder().encode('cardNumber,status\n777,stolen\n'), 'hotlist.csv');
  const gate = new Gate({ readMaster: keys.readMaster, hotlist, policy: { allowedCategories: ['construction'] }, clock: () => now });
  const decisions: GateDecisionEvent[] = [];
  gate.on('decision', (d) => {
    decisions.push(d);
    log(`${d.allow ? 'OPEN ' : 'DENY '} card ${d.cardNumber ?? '-'} (${d.reason}${d.error ? ` ${d.error}` : ''}) in ${d.timings.totalUs.toFixed(1)} us`);
  });
  const reader = new VirtualCardReader();
  gate.start(reader);
  const cardOf = (h: HolderInput, uid: string) => VirtualMifareClassic1K.fromBlocks(buildCardImage({ holder: h, uid: Uint8Array.from(Buffer.from(uid, 'hex')), readMaster: keys.readMaster, writeMaster }));
  for (const card of [cardOf(kari, '04a1b2c3'), cardOf(ola, '04a1b2c4'), new VirtualMifareClassic1K('04a1b2c5')]) {
    reader.present(card); // a tap
    await gate.idle();
    reader.remove();
  }
  await gate.stop();
  await reader.close();
  return decisions;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
