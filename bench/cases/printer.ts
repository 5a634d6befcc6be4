/**
 * One card's full cycle in a printer batch, in the Evolis emulator (src/testing/evolisEmulator)
 * behind the real driver (src/drivers/printer/evolis.ts), as `hmskort batch --printer emulator`
 * runs it (src/batch/printerRun.ts) without the journal's fsyncs: insert to the contactless
 * station, blank check, encode and full read-back of the chip, stripe write and read-back, print
 * front and back, eject. Two rows: panels rendered once in setup (the printer side alone), and
 * rendered in each op as the batch does per order (faces: orderFaces; the real per-card cost). A
 * fresh emulator per op (its constructor is a few object allocations) so recorded cards do not pile
 * up. Checked: the card reached the output tray with the order's stripe and both panels.
 */
import type { BenchCase } from '../harness.js';
import { parseOrders } from '../../src/batch/orders.js';
import { encodeAndVerify, isBlank } from '../../src/batch/chip.js';
import { printerTracks, writeAndVerifyStripe } from '../../src/batch/printerCard.js';
import { openEmulatedPrinter } from '../../src/cli/commands/batchPrinter.js';
import { frontPanel, backPanel } from '../../src/faces/panel.js';
import { orderFaces } from '../../src/cli/commands/batchFaces.js';
import { fromHex, toHex } from '../../src/codec/hex.js';

const CSV = 'orderId,category,cardNumber,orgNumber,orgName,givenName,familyName,birthDate,gender,expiry,issue\no1,construction,123456,974760673,Brønnøysund Bygg AS,Kari Ærlig,Østby-Hågensen,1985-04-17,F,2028-06-30,0\n';
const KEYS = { readMaster: fromHex('000102030405060708090a0b0c0d0e0f'), writeMaster: fromHex('101112131415161718191a1b1c1d1e1f') };

type Order = ReturnType<typeof parseOrders>['orders'][number];
type Panel = ReturnType<typeof frontPanel>;

async function cardCycle(order: Order, front: Panel, back?: Panel) {
  const { printer, reader, emulator } = await openEmulatedPrinter();
  await printer.insertToContactless();
  const card = await reader.waitForCard({ timeoutMs: 1000 });
  const uid = toHex(card.uid);
  if (!(await isBlank(card))) throw new Error(`${uid} is not blank`);
  await encodeAndVerify(card, uid, order, KEYS);
  await writeAndVerifyStripe(printer, order.holder);
  await printer.printAndEject(front, back);
  await printer.close();
  return { emulator, want: printerTracks(order.holder) };
}

const check = ({ emulator, want }: Awaited<ReturnType<typeof cardCycle>>) => {
  const c = emulator.cards[0];
  return c.fate === 'output' && c.tracks[1] === want.track1 && c.tracks[2] === want.track2 && c.panels.filter((p: { bitmap?: Uint8Array }) => p.bitmap).length === 2;
};

export const cases: BenchCase[] = [
  {
    name: 'printer/batch-card-cycle-emulator',
    setup: () => {
      const order = parseOrders(CSV).orders[0];
      return { order, front: frontPanel(order.holder), back: backPanel(order.holder) };
    },
    fn: ({ order, front, back }) => cardCycle(order, front, back),
    check,
    measureAlloc: false,
    mitata: { min_samples: 20 },
  },
  {
    name: 'printer/batch-card-cycle-with-faces',
    setup: () => parseOrders(CSV).orders[0],
    fn: async (order) => {
      const faces = await orderFaces(order);
      return cardCycle(order, faces.front, faces.back);
    },
    check,
    measureAlloc: false,
    mitata: { min_samples: 20 },
  },
];
