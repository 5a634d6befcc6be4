/**
 * `hmskort gate`: the turnstile on the command line. Serves a reader with the Gate engine
 * (src/gate/gate.ts: one authentication and one read of block 4, fast decode, spec section 7
 * decision) and prints one line per decision. The hot list and the policy are reloaded when their
 * files change (src/gate/reload.ts; a bad new file keeps the old one and says so on stderr); every
 * decision can go to a rotating JSON Lines log (src/gate/decisionLog.ts).
 */
import { resolve } from 'node:path';
import { EXIT, UsageError, type CliContext } from '../command.js';
import { defineCommand, type Values } from '../declare.js';
import { checkOutputFile } from '../files.js';
import { loadKeys, readImageFile } from '../cardIo.js';
import { openReader, READER_SPECS } from '../readerSelect.js';
import { Gate, type GateDecisionEvent } from '../../gate/gate.js';
import type { GatePolicy } from '../../codec/gateDecision.js';
import { loadHotlistFile, type Hotlist } from '../../hotlist/index.js';
import { loadPolicyFile } from '../../gate/policy.js';
import { FileReloader } from '../../gate/reload.js';
import { DecisionLog, logDecisions } from '../../gate/decisionLog.js';
import { nowOption } from '../nowOption.js';
import type { CardReader } from '../../transport/card.js';
import { untilAborted, waitFor } from '../../transport/wait.js';
import { startFleet, type Fleet } from './gateFleet.js';
import { holderReadOption, holderStatsLine, KnownCards, wireHolderRead } from './gateHolder.js';

const description = `Decides every card presented on the reader (spec section 7) and prints one line per decision:
  ALLOW ok card 123456 org 974760673 construction expiry 2028-06-30 issue 0 uid 04a1b2c3 (N µs)
  DENY hotlisted card ...        INVALID AUTH_FAILED uid ...   (a blank, foreign or pulled card)
Runs until Ctrl-C (SIGINT/SIGTERM) unless --once or virtual.
In a fleet (docs/fleet.md): --hotlist-feed follows a NATS bucket; with --hotlist FILE the file serves
at once until the feed's list is in, without it the gate waits (--feed-wait) for the loaded, caught-up
list; --events delivers every decision through a durable outbox, connecting in the background (the
outbox keeps the events while the server is down); --outbox DIR alone keeps them on this machine
(--gate-id and --site name the gate). --holder-read (with --outbox or --events) reads the holder's
name, birth date and employer after each decision and puts them into the event (docs/gate.md).
Exit status: 0 allowed (with --once/virtual) or stopped; 1 denied or invalid (with --once/virtual);
2 usage; 3 bad keys, hot-list or policy file (the message names the line); 4 reader or I/O error
(a --log FILE that cannot be written stops the gate at start).`;

const GATE = {
  reader: { required: true, help: `${READER_SPECS.join(' or ')}; "virtual" presents one card (--image-in or a\nblank --uid), decides it and exits, as with --once` },
  keys: { required: true, help: 'keys file; the gate uses readMaster only' },
  hotlist: {},
  policy: {},
  log: {},
  'log-max-bytes': {},
  once: {},
  profile: {},
  json: { help: 'print decisions as JSON lines (the decision event, with timings in µs)' },
  now: {},
  uid: {},
  'image-in': {},
  'hotlist-feed': {},
  events: {},
  'gate-id': {},
  site: {},
  outbox: {},
  'feed-wait': {},
  'holder-read': {},
} as const;

/** The human line of a decision. */
export function decisionLine(d: GateDecisionEvent): string {
  const head = d.allow ? 'ALLOW ok' : d.reason === 'invalid' ? `INVALID ${d.error ?? ''}`.trimEnd() : `DENY ${d.reason}`;
  const fields = d.cardNumber === undefined ? '' : ` card ${d.cardNumber} org ${d.orgNumber} ${d.category} expiry ${d.expiry} issue ${d.issue}`;
  return `${head}${fields} uid ${d.uid} (${Math.round(d.timings.totalUs)} µs)`;
}

/** Resolves on the first decision, or with undefined when the signal aborts. */
function firstDecision(gate: Gate, signal: AbortSignal): Promise<GateDecisionEvent | undefined> {
  return waitFor<GateDecisionEvent | undefined>({
    what: 'the first decision',
    signal,
    subscribe: (resolve) => {
      gate.once('decision', resolve);
      return () => gate.off('decision', resolve);
    },
  }).catch(() => undefined); // only the abort rejects: no time-out, and the gate's errors are warned about, not waited on
}

async function run(values: Values<typeof GATE>, _positionals: string[], ctx: CliContext): Promise<number> {
  const isVirtual = values.reader === 'virtual';
  if (!isVirtual && (values.uid !== undefined || values['image-in'] !== undefined)) throw new UsageError('--uid and --image-in are for --reader virtual');
  const nowMs = nowOption(values.now);
  const clock = nowMs === undefined ? undefined : () => nowMs;
  const logMax = values['log-max-bytes'];
  const once = Boolean(values.once) || isVirtual;
  // The log path is checked before anything is served: a log that cannot be written is found now,
  // not after the first decision (issue 19 item 22).
  if (values.log) await checkOutputFile(values.log, '--log', ctx.cwd);
  const keys = await loadKeys(values.keys, ctx);

  // Configuration first (a bad file ends here, exit 3), then the reader.
  const reloaders: FileReloader<unknown>[] = [];
  const warn = (text: string) => ctx.stderr(`hmskort gate: ${text}\n`);
  const config = async <T>(path: string | undefined, load: (p: string) => Promise<T>, apply: (v: T) => void, what: string): Promise<T | undefined> => {
    if (path === undefined) return undefined;
    const full = resolve(ctx.cwd, path);
    if (once) return load(full);
    const r = new FileReloader<T>(full, load);
    const value = await r.start();
    r.on('reload', (v) => {
      apply(v);
      warn(`${what} reloaded from ${path}`);
    });
    r.on('error', (e) => warn(`${what} not reloaded, the previous one stays in force: ${e.message}`));
    reloaders.push(r as FileReloader<unknown>);
    return value;
  };
  let gate: Gate | undefined;
  let reader: CardReader | undefined;
  let log: DecisionLog | undefined;
  // A reload can land before the Gate exists (the hot list reloads while the policy still loads):
  // it goes into these, which the Gate is built from, instead of being dropped.
  let hotlist: Hotlist | undefined;
  let policy: GatePolicy | undefined;
  let fleet: Fleet | undefined;
  const feedUrl = values['hotlist-feed'];
  try {
    // With a feed the file (if any) is only the list until the feed's is in: loaded once, not reloaded.
    hotlist = feedUrl && values.hotlist ? await loadHotlistFile(resolve(ctx.cwd, values.hotlist)) : await config(values.hotlist, loadHotlistFile, (h) => (gate ? gate.setHotlist(h) : (hotlist = h)), 'hot list');
    policy = await config(values.policy, loadPolicyFile, (p) => (gate ? gate.setPolicy(p) : (policy = p)), 'policy');
    const known = new KnownCards();
    const holderRead = holderReadOption(values['holder-read'], values.outbox !== undefined || values.events !== undefined, keys.publicKeys, known);
    gate = new Gate({ readMaster: keys.readMaster, ...(hotlist ? { hotlist } : {}), ...(policy ? { policy } : {}), ...(clock ? { clock } : {}), ...(holderRead ? { holderRead } : {}) });
    if (values.log) {
      log = new DecisionLog({ path: resolve(ctx.cwd, values.log), ...(logMax ? { maxBytes: logMax } : {}) });
      log.on('error', (e: Error) => warn(`decision log: ${e.message}`));
      logDecisions(gate, log);
    }
    gate.on('decision', (d) => ctx.stdout((values.json ? JSON.stringify(d) : decisionLine(d)) + '\n'));
    gate.on('error', (e) => warn(`reader: ${e.message}`));
    fleet = await startFleet(gate, { feed: feedUrl, events: values.events, gateId: values['gate-id'], site: values.site, outbox: values.outbox, hasFile: hotlist !== undefined, readyTimeoutMs: values['feed-wait'] * 1000, ...(clock ? { clock } : {}) }, ctx, warn);
    // --holder-read needs --outbox or --events (holderReadOption): the fleet has an outbox then.
    if (holderRead && fleet?.outbox) wireHolderRead(gate, fleet.outbox, known, Boolean(values.json), (line) => ctx.stdout(line + '\n'));

    const uid = values.uid;
    const image = values['image-in'] === undefined ? undefined : await readImageFile(values['image-in'], ctx);
    reader = await openReader(values.reader, { uid, image, signal: ctx.signal, env: ctx.env, profile: values.profile });

    if (isVirtual) {
      // The virtual reader holds its one card from the start: tap it, as a turnstile would.
      const card = await reader.waitForCard({ signal: ctx.signal });
      const d = await gate.tap(card);
      return d.allow ? EXIT.OK : EXIT.FAILED;
    }
    gate.start(reader);
    if (!values.json) warn(`serving ${reader.name}${once ? ' until the first card' : ' (Ctrl-C to stop)'}`);
    if (once) {
      const d = await firstDecision(gate, ctx.signal);
      return d === undefined || d.allow ? EXIT.OK : EXIT.FAILED;
    }
    await untilAborted(ctx.signal);
    return EXIT.OK;
  } finally {
    await gate?.stop();
    // After stop(): every holder read begun has ended, so the counters are final.
    const hs = gate?.holderStats;
    if (hs && values.json) ctx.stdout(holderStatsLine(hs, true) + '\n');
    else if (hs) warn(holderStatsLine(hs, false));
    await fleet?.close(once);
    for (const r of reloaders) r.close();
    await log?.close();
    await reader?.close();
  }
}

export const command = defineCommand({ name: 'gate', summary: 'decide every card on a reader (section 7): hot list, policy, decision log' }, { description, options: GATE, run });
