/**
 * Production line: encode a blank MIFARE Classic 1K card per holder, tear-safely (spec section 3),
 * and read each back in full before it leaves the station. Runs here on virtual cards; with a
 * PC/SC encoder, replace the reader by `openPcscReader()` from 'hmskort/drivers/pcsc'.
 *
 *   npx tsx examples/production-line.ts
 */
import { encodeCard, fullRead, parseKeysFile, validateHolder, type HolderInput } from 'hmskort';
import { VirtualCardReader, VirtualMifareClassic1K } from 'hmskort/testing';

// Demo keys (the spec examples'): a real line loads its keys file, and never prints it.
const keys = parseKeysFile({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' });

export const orders: HolderInput[] = [
  { category: 'construction', cardNumber: '123456', orgNumber: '974760673', orgName: 'Brønnøysund Bygg AS', givenName: 'Kari Ærlig', familyName: 'Østby-Hågensen', birthDate: '1985-04-17', gender: 'F', expiry: '2028-06-30' },
  { category: 'cleaning', cardNumber: '4711', orgNumber: '923609016', orgName: 'Renhold Øst AS', givenName: 'Jan', familyName: 'Kowalski', birthDate: '1991-11-02', gender: 'M', expiry: '2027-01-15', issue: 2 },
];

export async function main(log: (line: string) => void = console.log): Promise<Array<{ uid: string; cardNumber: string; verified: boolean }>> {
  const reader = new VirtualCardReader();
  const out = [];
  for (const [i, order] of orders.entries()) {
    const holder = validateHolder(order); // every order is checked before a card is touched
    reader.present(new VirtualMifareClassic1K(`f00000${String(i + 1).padStart(2, '0')}`)); // the operator lays a blank on the encoder
    const card = await reader.waitForCard({ timeoutMs: 30_000 });
    const report = await encodeCard(card, { holder, readMaster: keys.readMaster, writeMaster: keys.requireWriteMaster() });
    const read = await fullRead(card, { readMaster: keys.readMaster });
    const verified = !read.error && read.holder?.cardNumber === holder.cardNumber;
    log(`card ${report.uid}: ${holder.givenName} ${holder.familyName}, card ${holder.cardNumber}: ${report.operations} commands, ${verified ? 'verified' : 'FAILED'}`);
    out.push({ uid: report.uid, cardNumber: read.holder?.cardNumber ?? '', verified });
    reader.remove();
  }
  await reader.close();
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
