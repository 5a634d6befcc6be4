/**
 * Gate decisions through the real PC/SC stack: pcscd + vsmartcard vpcd + our virtual card over TCP
 * (src/drivers/vpcd) + pcsclite. One card (the spec's signed `card` example) stays in the field;
 * every op is one gate decision on it: authenticate sector 1 with the derived key A, read block 4,
 * decide (spec section 7). Rows, in one process on the same card:
 *   pcsc/gate-hmskort-driver   our driver (src/drivers/pcsc): 2 APDUs (key loaded once per card)
 *   pcsc/gate-nfc-pcsc-helpers nfc-pcsc's own reader.authenticate() + reader.read(4, 16, 16)
 *   pcsc/gate-tap              the product path: Gate.tap (src/gate/gate.ts) on our driver
 *   pcsc/encode-blank          encodeCard on a blank card (the card's memory set blank before each
 *                              op, in-process behind vpcd): the spec's signed example, ACS firmware
 *                              with the silent-after-failure chip (issue 13)
 *   pcsc/re-encode             encodeCard on a card already encoded (found 'ours')
 *   pcsc/gate-holder-read      Gate.tap with opts.holderRead, then the verified full read after
 *                              the decision (issue 18 part 1; bench/cases/gateHolder.ts): its extra
 *                              figures are the decision's time with and without holder reads and the
 *                              holder read's time after the decision, ms, on this stack
 * The encode rows carry, beside the times, the counts of one encode: authentications, failed
 * authentications, re-activations and APDUs.
 * ops/s is decisions per second, median and p99 are latency percentiles. The air time of a real
 * reader (~5-10 ms per APDU at 106 kbit/s with MIFARE crypto) is not in these figures: vpcd answers
 * in-process, so they measure the software stack (pcsclite IPC, pcscd, the drivers). Without the
 * quickack route of scripts/pcscd-test-env.sh every APDU costs ~43 ms of vpcd Nagle/delayed-ACK.
 *
 * Skipped (no rows) when pcscd, vsmartcard-vpcd or nfc-pcsc is missing. The harness has no
 * teardown hook, so the stack shuts itself down (and stops the pcscd it started) 2 s after the
 * last op, which lets bench/run.ts exit: every pcsclite reader nfc-pcsc announced is closed (vpcd
 * shows two readers; the one without a card, left open, kept `npm run bench` alive for ever).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BenchCase } from '../harness.js';
import { VpcdSlot, vpcdCardFromVirtual } from '../../src/drivers/vpcd/client.js';
import { openPcscReader, type PcscCardReader } from '../../src/drivers/pcsc/reader.js';
import { loadNfcPcsc, type NfcPcsc, type NfcPcscReader } from '../../src/drivers/pcsc/nfcPcsc.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import { deriveKey } from '../../src/card/kdf.js';
import { decideGate } from '../../src/codec/gateDecision.js';
import { Gate } from '../../src/gate/gate.js';
import { encodeCard, type EncodeReport } from '../../src/card/encoder.js';
import type { PcscMifareCard } from '../../src/drivers/pcsc/card.js';
import { cardExamples } from '../../test/helpers/cardExamples.js';
import { holderFigures, tapWithHolder, type HolderTap } from './gateHolder.js';
import { publicKeyOf } from '../../src/card/signature.js';

const ex = cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;
const NOW = Date.parse('2026-06-15T10:00:00Z');
const EXPECTED = decideGate(Uint8Array.from(Buffer.from(ex.blocks[4], 'hex')), NOW, [], {});
const scripts = resolve(import.meta.dirname, '../../scripts');

interface Stack {
  reader: PcscCardReader;
  card: PcscMifareCard;
  virtual: VirtualMifareClassic1K;
  nfc: NfcPcsc;
  theirs: NfcPcscReader;
  /** Every reader nfc-pcsc announced (vpcd has two, 00 00 and 00 01): each holds a native handle. */
  all: NfcPcscReader[];
  slot: VpcdSlot;
  key: Uint8Array;
  gate: Gate;
  holderGate: Gate;
}

let stack: Promise<Stack> | undefined;
let idle: NodeJS.Timeout | undefined;
let startedPcscd = false;

async function open(): Promise<Stack> {
  const out = execFileSync('bash', [resolve(scripts, 'pcscd-test-env.sh')], { encoding: 'utf8' });
  startedPcscd = !out.includes('already listening');
  // 127.0.0.2: the loopback address with the quickack route of scripts/pcscd-test-env.sh.
  const slot = new VpcdSlot({ host: process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1', profile: 'acs' });
  const reader = await openPcscReader({ profile: 'acs' });
  const mod = await loadNfcPcsc();
  const nfc = new mod.NFC();
  nfc.on('error', () => {}); // close() cancels its monitor with an 'error' (SCARD_E_CANCELLED)
  const all: NfcPcscReader[] = [];
  const theirs = new Promise<NfcPcscReader>((ok) =>
    nfc.on('reader', (r) => {
      all.push(r);
      r.on('error', () => {});
      r.on('card', () => ok(r)); // autoProcessing on: the library's own Get UID, then 'card'
    }),
  );
  const virtual = VirtualMifareClassic1K.fromBlocks(ex.blocks);
  await slot.present(vpcdCardFromVirtual(virtual));
  const card = (await reader.waitForCard({ timeoutMs: 15_000 })) as PcscMifareCard;
  const key = deriveKey(ex.readMaster, card.uid, 1, 'A');
  return { reader, card, virtual, nfc, all, theirs: await theirs, slot, key, gate: new Gate({ readMaster: ex.readMaster, clock: () => NOW }),
    holderGate: new Gate({ readMaster: ex.readMaster, clock: () => NOW, holderRead: { publicKeys: { [String(ex.input.keyId)]: publicKeyOf(ex.input.signingKey!) } } }),
  };
}

/** The stack, opened on first use; it shuts down 2 s after the last op has finished, never during one. */
let inFlight = 0;
function use(): Promise<Stack> {
  stack ??= open();
  arm();
  return stack;
}
function arm(): void {
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => (inFlight > 0 ? arm() : void shutdown()), 2000);
}
/** Runs one op with the stack held open. */
async function during<T>(fn: () => Promise<T>): Promise<T> {
  inFlight++;
  try {
    await use();
    return await fn();
  } finally {
    inFlight--;
    arm();
  }
}

/** Closes every handle the stack holds (a left-over pcsclite object kept `npm run bench` alive). */
async function shutdown(): Promise<void> {
  const s = await stack!;
  stack = undefined;
  try {
    await s.slot.remove();
    await s.reader.close();
  } finally {
    // nfc-pcsc's own objects: the reader first, then the context; not inside a pcsclite callback.
    await new Promise((r) => setImmediate(r));
    // Every reader, not only the one with the card: one left open kept the process alive for ever.
    for (const r of s.all) r.close();
    s.nfc.close();
    if (startedPcscd) execFileSync('bash', [resolve(scripts, 'pcscd-test-env-stop.sh')]);
  }
}

/** The card of the stack set to `blocks`, then encoded; the report of that one encode. */
let lastEncode: EncodeReport | undefined;
let lastApdus = 0;
function encodeFrom(s: Stack, blocks: readonly string[]): Promise<EncodeReport> {
  return during(async () => {
    s.virtual.importBlocks(blocks);
    const before = s.card.counters.apdus;
    lastEncode = await encodeCard(s.card, ex.input);
    lastApdus = s.card.counters.apdus - before;
    return lastEncode;
  });
}
const BLANK = new VirtualMifareClassic1K(ex.uid).exportBlocks();
const sameCard = (s: Stack) => s.virtual.exportBlocks().join() === ex.blocks.map((b) => b.toLowerCase()).join();
const encodeCounts = () => ({ auths: lastEncode?.auths, failedAuths: lastEncode?.failedAuths, reactivations: lastEncode?.reactivations, apdus: lastApdus, readerProfile: 'acs' });

const available =
  existsSync('/etc/reader.conf.d/vpcd') && ['/usr/sbin/pcscd', '/usr/bin/pcscd'].some((p) => existsSync(p)) && (await loadNfcPcsc().then(() => true, () => false));
if (!available) process.stderr.write('bench/cases/pcsc.ts: skipped (needs pcscd, vsmartcard-vpcd and nfc-pcsc)\n');

const sameDecision = (d: { allow: boolean; reason: string }) => d.allow === EXPECTED.allow && d.reason === EXPECTED.reason;

export const cases: BenchCase[] = !available
  ? []
  : [
      {
        name: 'pcsc/gate-hmskort-driver',
        setup: use,
        fn: (s: Stack) =>
          during(async () => {
            await s.card.authenticate(4, 'A', s.key);
            return decideGate(await s.card.readBlock(4), NOW, [], {});
          }),
        check: sameDecision,
      },
      {
        name: 'pcsc/gate-nfc-pcsc-helpers',
        setup: async () => {
          const s = await use();
          return { s, key: Buffer.from(s.key), mod: await loadNfcPcsc() };
        },
        fn: ({ s, key, mod }: { s: Stack; key: Buffer; mod: { KEY_TYPE_A: number } }) =>
          during(async () => {
            await s.theirs.authenticate(4, mod.KEY_TYPE_A, key);
            return decideGate(new Uint8Array(await s.theirs.read(4, 16, 16)), NOW, [], {});
          }),
        check: sameDecision,
      },
      {
        name: 'pcsc/gate-tap',
        setup: use,
        fn: (s: Stack) => during(() => s.gate.tap(s.card)),
        check: sameDecision,
      },
      {
        name: 'pcsc/gate-holder-read',
        setup: use,
        fn: (s: Stack) => during(() => tapWithHolder(s.holderGate, s.card)),
        check: (t: HolderTap) => sameDecision(t.d) && t.h.holder !== undefined,
        measureAlloc: false,
        mitata: { min_samples: 5, min_cpu_time: 1 },
        extra: (s: Stack) => during(() => holderFigures(s.card, ex.readMaster, 20)),
      },
      {
        name: 'pcsc/encode-blank',
        setup: use,
        fn: (s: Stack) => encodeFrom(s, BLANK),
        check: (r: EncodeReport, s: Stack) => r.found === 'blank' && r.failedAuths === 0 && sameCard(s),
        measureAlloc: false,
        mitata: { min_samples: 5, min_cpu_time: 1 },
        extra: encodeCounts,
      },
      {
        name: 'pcsc/re-encode',
        setup: use,
        fn: (s: Stack) => encodeFrom(s, ex.blocks),
        check: (r: EncodeReport, s: Stack) => r.found === 'ours' && sameCard(s),
        measureAlloc: false,
        mitata: { min_samples: 5, min_cpu_time: 1 },
        extra: encodeCounts,
      },
    ];
