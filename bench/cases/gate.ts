/**
 * The gate (spec section 7) at turnstile scale. The gate-block and record rows are in decode.ts;
 * this file has:
 *
 *   decision-1m/{fast,layout,naive}  one decision against a 1 000 000-entry hot list and a site
 *       policy: fast = decideGateFast (decode into a reused object, typed-array hot list, compiled
 *       policy, OsloCalendar); layout = the buffer-layout decoder, then the reference rules
 *       (decideDecoded: strings, Intl for the Oslo date) on the same hot-list table; naive =
 *       bench/naive/decision.ts (hex strings, a Map of 1M string keys, toLocaleDateString).
 *       Besides the batch figures, each row times single decisions one by one (p50/p99/p99.9):
 *       1 000 000 for fast and layout; 20 000 for naive, whose decision costs tens of microseconds.
 *   gate-e2e/virtual  Gate.tap on the virtual MF1S50 (src/testing): key from the gate's cache, one
 *       authentication, one read, decode, decide, the decision event. The row also reports the
 *       software part of the tap (decode + decide, from the event's timings) against the card's own
 *       air time for one authentication and one read, about 4.5 ms (MF1S50 datasheet).
 *   gate-e2e/virtual-io  the virtual card's authentication and read alone (its own allocation), and
 *   gate-e2e/null-io  Gate.tap on a card whose I/O allocates nothing: bytes per tap split into the
 *       reader's I/O and the gate's own part (issue 14 item 4).
 *
 * Where a tap's bytes go (issue 14 item 4; bench/allocProbe.ts for the totals, a heap-sampling
 * profile, HeapProfiler.startSampling at 16 bytes with collected objects included, for the parts):
 *   before, 3 921-4 359 B/tap: the virtual card decoded the access bits on every authentication
 *     and read (subarrays, five arrays, closures: ~1 840 B), copied the trailer and the block
 *     three times (slice: ~900 B), built permission objects per read (~220 B) and made two async
 *     promises (~100 B); the gate made three closures, two promises and a thenable job per tap
 *     (~610 B), the event (object 104 B, timings 120 B with four boxed doubles, uid/instant/expiry
 *     text 96 B), rawListeners' array (56 B) and boxed timestamps (~60 B); the measuring loop's
 *     own await, 200 B, is in every async row.
 *   after, 729-956 B/tap in `npm run bench` (3 runs), 949-954 in bench/allocProbe.ts (5 runs; the
 *     spread is the JIT's inlining): loop await 200; promise chain ~360 (two derived promises and
 *     their reactions, and the job and resolving functions for the read's promise: the fixed cost
 *     of chaining two awaited card calls); the read 144 (a 16-byte view cut from a slab, 96, plus
 *     16 bytes off-heap, and its promise, 48); the event ~270 (object 104, timings 120, instant
 *     40); up to ~50 of numbers boxed where the JIT did not inline performance.now().
 *   What did it: access rules decoded once per trailer (src/testing/mf1s50Access.ts
 *   SectorRulesCache), keys compared in place, reads cut from a slab (blockSlab.ts), one shared
 *   promise per successful authentication; in the gate, pooled TapRuns with callbacks bound once,
 *   the single listener called without an array, timestamps in a Float64Array, the UID's hex and
 *   key found by the UID's bytes (uidCache.ts), expiry texts memoised per day, and the clock
 *   below parsed once (Date.parse per tap put 29 B of the bench's own into the figure).
 *   hotlist-load-1m/{csv,json}  parsing a 1 000 000-line hot-list file from memory, with the heap
 *       and external (typed-array) memory it keeps.
 *
 * Inputs: 4096 different gate blocks (bench/holders.ts), cycled, so hot-list lookups miss the CPU
 * caches as they do when every tap is a different card. Among them every 32nd has a broken CRC and
 * every 64th is voided; the hot list holds 1 000 000 numbers plus every 8th bench card (half of
 * those with a minIssue); the policy allows both categories and 7 of every 8 bench organisations;
 * the instant (2045-06-01) leaves about a quarter of the cards expired. Every row's output is
 * checked against decideGate (src/codec/gateDecision.ts) before and after timing.
 */
import type { BenchCase } from '../harness.js';
import { benchHolders } from '../holders.js';
import { crc16CcittFalse } from '../../src/codec/crc.js';
import { encodeRecord } from '../../src/codec/record.js';
import { HmskError } from '../../src/codec/errors.js';
import { newGateBlockOut } from '../../src/codec/gateBlockDecode.js';
import { OsloCalendar } from '../../src/codec/osloCalendar.js';
import { REASONS, compilePolicy, decideDecoded, decideGate, decideGateFast, type CompiledPolicy, type GatePolicy } from '../../src/codec/gateDecision.js';
import { decodeGateBlockLayout } from '../../formats/record-layout.js';
import { Hotlist } from '../../src/hotlist/table.js';
import { parseHotlist } from '../../src/hotlist/load.js';
import { Gate, type GateDecisionEvent } from '../../src/gate/gate.js';
import { naiveDecide, type NaiveHotEntry } from '../naive/decision.js';
import { VirtualMifareClassic1K } from '../../src/testing/virtualCard.js';
import { cardExamples } from '../../test/helpers/cardExamples.js';
import { deriveKey } from '../../src/card/kdf.js';
import { GATE_BLOCK } from '../../src/card/layout.js';
import type { MifareClassicCard } from '../../src/transport/card.js';

const N = 4096;
const HOT = 1_000_000;
const STEP = 999_983;
const NOW_MS = Date.parse('2045-06-01T10:00:00Z');
/**
 * MF1S50: one authentication and one 16-byte read at 106 kbit/s, about 4.5 ms: the datasheet's
 * typical figure (Fig 4: ~2 ms + ~2.5 ms; issue 7). The frame-by-frame minimum is 4.2 ms
 * (src/card/airTime.ts, docs/gate.md "On the air"); the recorded ratio stays on the typical one.
 */
const AIR_TIME_US = 4500;
/** The taps' fixed instant, parsed once: a clock calling Date.parse per tap put its own 29 bytes
 *  (a boxed number) into the gate's figure. */
const NOON_2027 = Date.parse('2027-01-01T12:00:00Z');

interface Inputs {
  gates: Uint8Array[];
  /** Reference reasons (decideGate), per gate. */
  expected: string[];
  hot: Hotlist;
  policy: GatePolicy;
  cards: { cardNumber: string; minIssue?: number }[];
}

let memo: Inputs | undefined;
/** Built once for the three decision rows (the 1M-entry table takes a moment). */
function inputs(): Inputs {
  if (memo) return memo;
  const hs = benchHolders(N, 4242);
  const gates = hs.map((h, i) => {
    const g = encodeRecord(h).slice(0, 16);
    if (i % 64 === 63) {
      g[1] = (g[1] & 0xf0) | 0xf; // voided: category nibble 0xF, CRC made good again
      const crc = crc16CcittFalse(g.subarray(0, 14));
      g[14] = crc >>> 8;
      g[15] = crc & 0xff;
    } else if (i % 32 === 31) g[5] ^= 0x10; // one bit off: BAD_CRC
    return g;
  });
  const cards: Inputs['cards'] = [];
  for (let i = 0; i < HOT; i++) cards.push({ cardNumber: String(1 + i * STEP) });
  hs.forEach((h, i) => {
    if (i % 8 === 0) cards.push(i % 16 === 0 ? { cardNumber: h.cardNumber } : { cardNumber: h.cardNumber, minIssue: (h.issue + (i % 3) - 1) & 0xff });
  });
  const hot = new Hotlist(cards.length);
  for (const c of cards) hot.add(+c.cardNumber, c.minIssue);
  const policy: GatePolicy = { allowedCategories: ['construction', 'cleaning'], allowedOrgs: [...new Set(hs.filter((_, i) => i % 8 !== 5).map((h) => h.orgNumber))] };
  const expected = gates.map((g) => decideGate(g, NOW_MS, hot, policy).reason);
  memo = { gates, expected, hot, policy, cards };
  return memo;
}

interface Cursor {
  i: number;
  k: number;
}
const next = (s: Cursor) => (s.k = s.i++ & (N - 1));

interface FastState extends Cursor {
  inp: Inputs;
  /** The policy compiled once in setup, as a gate does at start, not per decision. */
  policy: CompiledPolicy;
}
function fastState(): FastState {
  const inp = inputs();
  return { inp, policy: compilePolicy(inp.policy), i: 0, k: 0 };
}
const calendar = new OsloCalendar();
const fastOut = { fields: newGateBlockOut(), status: 0 };

interface NaiveState extends FastState {
  map: Map<string, NaiveHotEntry>;
}

interface TapState {
  gate: Gate;
  card: MifareClassicCard;
  events: GateDecisionEvent[];
}
const signedExample = () => cardExamples().find((e) => e.id === 'card-signed-4-byte-uid')!;

function tapPercentiles(events: GateDecisionEvent[]): Record<string, unknown> {
  const pick = (f: (e: GateDecisionEvent) => number) => {
    const v = events.map(f).sort((a, b) => a - b);
    const at = (p: number) => v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)];
    return { p50Us: at(50), p99Us: at(99), p999Us: at(99.9) };
  };
  const software = pick((e) => e.timings.decodeUs + e.timings.decideUs);
  return {
    taps: events.length,
    totalUs: pick((e) => e.timings.totalUs),
    softwareUs: software,
    airTimeUs: AIR_TIME_US,
    softwareShareOfAirTimeP99: Math.round((software.p99Us / AIR_TIME_US) * 1e6) / 1e6,
  };
}

/** A hot-list file of 1 000 000 lines in memory (from the decision rows' numbers). */
function hotlistFile(kind: 'csv' | 'json'): Uint8Array {
  const cards = inputs().cards.slice(0, HOT);
  const text =
    kind === 'csv'
      ? 'cardNumber,status,minIssue\n' + cards.map((c, i) => `${c.cardNumber},${i % 5 === 0 ? 'stolen' : 'lost'},${i % 7 === 0 ? '' : i % 200}`).join('\n') + '\n'
      : '[\n' + cards.map((c, i) => `{"cardNumber":"${c.cardNumber}","status":"${i % 5 === 0 ? 'stolen' : 'lost'}"${i % 7 === 0 ? '' : `,"minIssue":${i % 200}`}}`).join(',\n') + '\n]\n';
  return new TextEncoder().encode(text);
}

function loadCase(kind: 'csv' | 'json'): BenchCase<{ bytes: Uint8Array }> {
  return {
    name: `hotlist-load-1m/${kind}`,
    setup: () => ({ bytes: hotlistFile(kind) }),
    fn: (s) => parseHotlist(s.bytes, `hotlist.${kind}`),
    // One parse takes a few hundred ms: a few samples are enough, and bytes/op (a transient
    // quantity here) gives way to the memory the loaded list keeps (extra.retained).
    measureAlloc: false,
    mitata: { min_samples: 5, min_cpu_time: 1e9 },
    // Independent of the parser: the numbers are 1 + i*999983, all distinct.
    check: (h: Hotlist) => h.size === HOT && h.minIssueOf(1 + 7 * STEP) === 256 && h.minIssueOf(1 + 3 * STEP) === 3 && h.minIssueOf(2) === 0,
    extra: async (s) => {
      // What a loaded list keeps: heap and array-buffer bytes after a full GC, with the list alive.
      // V8 frees dead array buffers on a background sweeper, so each reading waits for it.
      const settled = async () => {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        await new Promise((r) => setTimeout(r, 100));
        gc?.();
        return process.memoryUsage();
      };
      const m0 = await settled();
      const h = parseHotlist(s.bytes, `hotlist.${kind}`);
      const m1 = await settled();
      const kept = { heapBytes: m1.heapUsed - m0.heapUsed, arrayBufferBytes: m1.arrayBuffers - m0.arrayBuffers, tableBytes: h.byteLength, fileBytes: s.bytes.length };
      return { retained: kept };
    },
  };
}

export const cases: BenchCase<any>[] = [
  {
    name: 'decision-1m/fast',
    setup: fastState,
    fn: (s: FastState) => decideGateFast(s.inp.gates[next(s)], NOW_MS, s.inp.hot, s.policy, calendar, fastOut),
    check: (reason: number, s: FastState) => REASONS[reason] === s.inp.expected[s.k],
    latencyOps: 1_000_000,
  },
  {
    name: 'decision-1m/layout',
    setup: fastState,
    fn: (s: FastState) => {
      const block = s.inp.gates[next(s)];
      try {
        return decideDecoded(decodeGateBlockLayout(block), NOW_MS, s.inp.hot, s.inp.policy);
      } catch (e) {
        if (e instanceof HmskError) return { allow: false, reason: 'invalid', error: e.code };
        throw e;
      }
    },
    check: (d: { reason: string }, s: FastState) => d.reason === s.inp.expected[s.k],
    latencyOps: 1_000_000,
  },
  {
    name: 'decision-1m/naive',
    setup: (): NaiveState => {
      const inp = inputs();
      const map = new Map<string, NaiveHotEntry>();
      for (const c of inp.cards) {
        const old = map.get(c.cardNumber);
        // Several entries for one number: the one listing more issues wins (section 7 rule 3).
        if (!old || (old.minIssue !== undefined && (c.minIssue === undefined || c.minIssue > old.minIssue))) map.set(c.cardNumber, { status: 'lost', ...(c.minIssue === undefined ? {} : { minIssue: c.minIssue }) });
      }
      return { ...fastState(), map };
    },
    fn: (s: NaiveState) => naiveDecide(s.inp.gates[next(s)], NOW_MS, s.map, s.inp.policy),
    check: (d: { reason: string }, s: NaiveState) => d.reason === s.inp.expected[s.k],
    latencyOps: 20_000,
  },
  {
    name: 'gate-e2e/virtual',
    setup: (): TapState => {
      const ex = signedExample();
      const gate = new Gate({ readMaster: ex.readMaster, clock: () => NOON_2027 });
      const events: GateDecisionEvent[] = [];
      gate.on('decision', (e) => {
        if (events.length < 200_000) events.push(e);
      });
      return { gate, card: VirtualMifareClassic1K.fromBlocks(ex.blocks), events };
    },
    fn: (s: TapState) => s.gate.tap(s.card),
    // The spec's signed card example: card number 123456, valid until after 2027-01-01.
    check: (e: GateDecisionEvent) => e.allow && e.cardNumber === '123456',
    extra: (s: TapState) => tapPercentiles(s.events),
  },
  {
    // The virtual card's own part of a tap: the same authentication and read, awaited the same way,
    // without the gate. gate-e2e/virtual minus this row is what the gate adds per tap.
    name: 'gate-e2e/virtual-io',
    setup: () => {
      const ex = signedExample();
      const card = VirtualMifareClassic1K.fromBlocks(ex.blocks);
      return { card, key: deriveKey(ex.readMaster, card.uid, 1, 'A') };
    },
    fn: async (s: { card: VirtualMifareClassic1K; key: Uint8Array }) => {
      await s.card.authenticate(GATE_BLOCK, 'A', s.key);
      return s.card.readBlock(GATE_BLOCK);
    },
    check: (b: Uint8Array) => b.length === 16 && b[0] === 0x48,
  },
  {
    // Gate.tap on a card whose I/O allocates nothing (its two promises made once): the bytes per tap
    // that are the gate's own (issue 14 item 4, target under 1 KiB).
    name: 'gate-e2e/null-io',
    setup: async (): Promise<TapState> => {
      const ex = signedExample();
      const virtual = VirtualMifareClassic1K.fromBlocks(ex.blocks);
      await virtual.authenticate(GATE_BLOCK, 'A', deriveKey(ex.readMaster, virtual.uid, 1, 'A'));
      const authenticated = Promise.resolve();
      const read = Promise.resolve(await virtual.readBlock(GATE_BLOCK));
      const card: MifareClassicCard = { uid: virtual.uid, authenticate: () => authenticated, readBlock: () => read, writeBlock: () => authenticated, reactivate: () => authenticated };
      const gate = new Gate({ readMaster: ex.readMaster, clock: () => NOON_2027 });
      gate.on('decision', () => {});
      return { gate, card, events: [] };
    },
    fn: (s: TapState) => s.gate.tap(s.card),
    check: (e: GateDecisionEvent) => e.allow && e.cardNumber === '123456',
  },
  loadCase('csv'),
  loadCase('json'),
];
