/**
 * Test lab: check finished cards against the shared vectors (spec section 8). Every card is read in
 * full (section 5) and compared with the `card` / `verify-card` vectors naming its UID.
 *
 *   npx tsx examples/test-lab.ts
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseKeysFile, parseVectorFile } from 'hmskort';
import { labVectorsByUid, verifyLabCard, labJunitXml, type LabResult } from 'hmskort/lab';
import { VirtualMifareClassic1K } from 'hmskort/testing';

const vectorsFile = fileURLToPath(new URL('../test-vectors/spec-examples.json', import.meta.url));
const keys = parseKeysFile({ readMaster: '000102030405060708090a0b0c0d0e0f', writeMaster: '101112131415161718191a1b1c1d1e1f' });

export async function main(log: (line: string) => void = console.log): Promise<{ results: LabResult[]; junit: string }> {
  const vectors = labVectorsByUid(parseVectorFile(JSON.parse(readFileSync(vectorsFile, 'utf8'))));
  const results: LabResult[] = [];
  // The lab's cards: here, virtual cards holding the vectors' own images.
  for (const [uid, list] of vectors) {
    const v = list.find((x) => x.kind === 'card') ?? list[0];
    const blocks = (v.kind === 'card' ? (v.expect.blocks as string[]) : (v.input.blocks as string[]));
    const card = VirtualMifareClassic1K.fromBlocks(blocks, { uid });
    const r = await verifyLabCard(card, vectors, { readMaster: keys.readMaster, writeMaster: keys.writeMaster });
    log(`${r.pass ? 'PASS' : 'FAIL'} ${uid}: ${r.checks.filter((c) => !c.pass).map((c) => c.name).join(', ') || 'all checks'}`);
    results.push(r);
  }
  return { results, junit: labJunitXml(results) };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
