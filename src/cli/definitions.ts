/**
 * Every option of `hmskort`, once: its type, the name of its value in the help, the help line, the
 * default, and the rule its value must meet. A command names the options it takes (src/cli/declare.ts);
 * parsing, validation, the wording of errors and the option lines of `--help` all come from here.
 * Shape after npm/cli `lib/utils/config/definitions.js` (one definition per option, commands list
 * theirs in `static params`); why node:util parseArgs under this table: docs/contributing.md.
 *
 * An entry's key is the name the command reads its value by; `flag` is the command-line name when
 * two options share one with different meanings (`--gate` the boolean of `card read`, `--gate HEX`
 * of `decode`; `--port N` of vpcd, `--port PATH` of a serial encoder).
 */
import { MIN_QUIET_ZONE } from '../barcode/code128Table.js';
import { EMULATED_FAMILIES } from '../drivers/vpcd/profiles.js';
import type { NumberRule } from './options.js';

/**
 * boolean: present or not; string: free text; path: a file or directory, relative to the working
 * directory; number: through numberOption with `number`; enum: one of `values`; list: repeatable,
 * every occurrence kept in order; hex: bytes written in hex, through hexOption with `bytes`.
 */
export type OptionType = 'boolean' | 'string' | 'path' | 'number' | 'enum' | 'list' | 'hex';

export interface OptionDefinition {
  readonly type: OptionType;
  /** The command-line name without `--`, when it is not the key. */
  readonly flag?: string;
  /** The value's name in the help: FILE, MS, HEX. */
  readonly value?: string;
  readonly help: string;
  readonly default?: string | number;
  /** number: the accepted range (one rule per option, issue 15 item 1). */
  readonly number?: NumberRule;
  /** enum: the accepted values. */
  readonly values?: readonly string[];
  /** hex: the accepted lengths in bytes (any length when absent). */
  readonly bytes?: readonly number[];
  /** The command refuses to run without it ("--X VALUE is required", src/cli/options.ts). */
  readonly required?: boolean;
}

/** The help of `--profile` for the commands that open a PC/SC reader. */
const PROFILE_HELP = `PC/SC reader profile: acs, identiv, omnikey, generic, or a file written by
\`hmskort reader probe --json\` (default: chosen from the reader's name)`;

export const OPTIONS = {
  json: { type: 'boolean', help: 'print the result as JSON' },

  // Readers and cards
  reader: { type: 'string', value: 'R', help: 'virtual (an in-process MIFARE Classic 1K: a blank card with --uid, or the card\nimage --image-in) or pcsc[:NAME] (a PC/SC reader; NAME picks one by substring)' },
  profile: { type: 'string', value: 'P', help: PROFILE_HELP },
  // `simulate --profile`: there the reader is emulated, so the value is its firmware family, not a PC/SC profile.
  firmware: { type: 'enum', flag: 'profile', value: 'FAMILY', help: `the reader firmware that answers: ${EMULATED_FAMILIES.join(', ')}`, values: EMULATED_FAMILIES, default: 'acs' },
  keys: { type: 'path', value: 'FILE', help: 'keys file: readMaster, writeMaster, optional signingKey + keyId, publicKeys' },
  // A MIFARE Classic UID is 4 or 7 bytes (ISO/IEC 14443-3 single and double size); commands that
  // also take a 10-byte (triple size) UID for an image say so with their own `bytes`.
  uid: { type: 'hex', value: 'HEX', help: 'UID of the blank virtual card (4 or 7 bytes; default 04a1b2c3)', bytes: [4, 7] },
  'image-in': { type: 'path', value: 'FILE', help: 'the virtual card\'s memory: {"blocks": [64 hex]} (card encode --image-out)' },
  'image-out': { type: 'path', value: 'FILE', help: 'the card\'s full memory, keys included, as {"blocks": [64 hex]} (mode 0600)' },
  image: { type: 'path', value: 'DUMP', help: 'start from a card image: {"blocks": [64 hex]}, Proxmark JSON, MCT text or .mfd' },
  // One rule for every wait in milliseconds (card, swipe, probe): before, `card` took 0 and
  // fractions, `stripe` whole numbers >= 1, `reader probe` 1 to 600000 with its own wording.
  timeout: { type: 'number', value: 'MS', help: 'how long to wait for a card (default: wait)', number: { integer: true, min: 1 } },
  'read-master': { type: 'string', value: 'HEX', help: 'the 16-byte read master key (with --uid and --write-master: the card image)' },
  'write-master': { type: 'string', value: 'HEX', help: 'the 16-byte write master key' },
  truncate: { type: 'boolean', help: "shorten over-long names by the spec's truncation algorithm instead of failing" },
  gate: { type: 'boolean', help: 'read as a gate does: one authentication, one read of block 4' },
  format: { type: 'enum', value: 'F', help: 'the dump format', values: ['mfd', 'proxmark', 'mct'] },
  out: { type: 'path', value: 'FILE', help: 'write the output to FILE' },

  // Decoding
  record: { type: 'string', value: 'HEX', help: 'a 144-byte record' },
  'gate-block': { type: 'string', flag: 'gate', value: 'HEX', help: 'a 16-byte gate block' },
  track1: { type: 'string', value: 'STR', help: 'a track 1 string (with sentinels, the LRC character optional)' },
  track2: { type: 'string', value: 'STR', help: 'a track 2 string (with sentinels, the LRC character optional)' },
  bits: { type: 'string', value: 'BITS', help: 'raw head bits (0 and 1) of the track named by --track' },
  track: { type: 'enum', value: 'N', help: 'the track of --bits', values: ['1', '2'] },
  kind: { type: 'string', value: 'KIND[,KIND...]', help: 'run only the vectors of these kinds' },

  // Magnetic stripe
  'serial-port': { type: 'path', flag: 'port', value: 'PATH', help: 'a serial MSR206/MSR605/MSR606 (9600 8N1)' },
  hid: { type: 'path', value: 'PATH', help: 'an MSR605X by its node-hid path' },
  hico: { type: 'boolean', help: 'write high coercivity' },
  loco: { type: 'boolean', help: 'write low coercivity' },
  raw: { type: 'boolean', help: 'read raw bits (a card swiped either way round decodes)' },

  // Barcode and card back
  png: { type: 'path', value: 'FILE', help: 'write the PNG to FILE' },
  svg: { type: 'path', value: 'FILE', help: 'write the SVG to FILE' },
  // 50 dpi is the coarsest a card back is laid out at; one rule for the three commands that print.
  dpi: { type: 'number', value: 'N', help: 'printer resolution in dots per inch', number: { min: 50 } },
  'x-dots': { type: 'number', value: 'N', help: 'printer dots per barcode module', default: 3, number: { integer: true, min: 1 } },
  'height-mm': { type: 'number', value: 'MM', help: 'bar height in mm', default: 10, number: { min: 1 } },
  // MAX_QUIET_ZONE of src/barcode/render.ts (not imported: that module loads bwip-js; a unit test keeps them equal).
  'quiet-zone': { type: 'number', value: 'N', help: 'quiet zones in modules', default: MIN_QUIET_ZONE, number: { integer: true, min: MIN_QUIET_ZONE, max: 999 } },
  expect: { type: 'string', value: 'HOLDER.json|PAYLOAD', help: 'the payload the image must hold' },
  aperture: { type: 'number', value: 'MILS', help: 'measuring aperture (ISO/IEC 15416)', number: { min: 0 } },
  wavelength: { type: 'number', value: 'NM', help: 'light wavelength (ISO/IEC 15416)', number: { min: 1 } },
  // ISO/IEC 15416 grades run from 0 (F) to 4 (A): a minimum outside that could never be met or never fail.
  'min-grade': { type: 'number', value: 'G', help: 'exit 1 below this grade (0 F to 4 A)', number: { min: 0, max: 4 } },
  'qr-url': { type: 'string', value: 'TEMPLATE', help: 'QR code URL; {payload}, {orgNumber}, {cardNumber} are replaced' },
  config: { type: 'path', value: 'FILE', help: 'config file; its cardBack.qrUrlTemplate is the --qr-url' },
  'stripe-mm': { type: 'number', value: 'MM', help: 'the top band left blank for the magnetic stripe (0 for none)', number: { min: 0 } },
  renderer: { type: 'enum', value: 'R', help: 'how the PNG is drawn', values: ['builtin', 'chromium'], default: 'builtin' },

  // Gate
  hotlist: { type: 'path', value: 'FILE', help: 'hot list, CSV (cardNumber,status[,minIssue]) or JSON; reloaded when it changes' },
  policy: { type: 'path', value: 'FILE', help: 'site policy JSON {"allowedOrgs": [...], "allowedCategories": [...]}; reloaded too' },
  log: { type: 'path', value: 'FILE', help: 'every decision as a JSON line, rotated at --log-max-bytes' },
  'log-max-bytes': { type: 'number', value: 'N', help: 'size at which the log rotates (default 10 MiB; 5 kept)', number: { integer: true, min: 1 } },
  once: { type: 'boolean', help: 'exit after the first decision' },
  now: { type: 'string', value: 'INSTANT', help: 'decide at this instant (ISO 8601) instead of the clock: replaying vectors' },

  // Lab
  vectors: { type: 'path', value: 'FILE', help: 'the vector file (kinds "card" and "verify-card")' },
  vector: { type: 'list', value: 'ID', help: 'check only this vector (repeat it)' },
  'image-ins': { type: 'list', flag: 'image-in', value: 'FILE', help: 'a virtual card\'s memory, {"blocks": [64 hex]} (repeat it: one card each)' },
  junit: { type: 'path', value: 'FILE', help: 'write the report as JUnit XML' },
  count: { type: 'number', value: 'N', help: 'stop after N cards', number: { integer: true, min: 1 } },

  // Simulator and demo
  'vpcd-port': { type: 'number', flag: 'port', value: 'N', help: "vpcd's port", number: { integer: true, min: 1, max: 65535 } },
  host: { type: 'string', value: 'H', help: "vpcd's host" },
  reselects: { type: 'boolean', help: 'lenient: the reader re-activates the card itself after a failure (none does)' },
  'in-memory': { type: 'boolean', help: 'never through PC/SC' },

  // Batch
  journal: { type: 'path', value: 'FILE', help: 'the journal: one line per card, fsync before the next' },
  stripe: { type: 'path', value: 'PORT', help: 'write the stripe on this MSR206/605 encoder' },
  'print-dir': { type: 'path', value: 'DIR', help: 'render barcode PNG and card-back SVG into DIR' },
  'skip-invalid': { type: 'boolean', help: 'encode the valid orders even when some are invalid' },
  'virtual-dir': { type: 'path', value: 'DIR', help: 'with --reader virtual: where the stack of blank virtual cards is kept (default FILE.cards/)' },
  // No table default for these two: batch --printer refuses them when given (batchPrinter.ts).
  'virtual-delay-ms': { type: 'number', value: 'N', help: 'delay per card command on the virtual stack (air time model; default 0)', number: { min: 0 } },
  'swipe-timeout': { type: 'number', value: 'MS', help: 'how long the stripe encoder waits for each swipe (default 60000)', number: { integer: true, min: 1 } },

  // printer (issue 16)
  printer: { type: 'string', value: 'URL', help: 'the card printer: evolis:/dev/usb/lpN, evolis:tcp://HOST:PORT, or emulator' },
  'emulator-out': { type: 'path', value: 'DIR', help: "with --printer emulator: write each card's panels as PNG, tracks.json and stream.prn (the bytes sent) into DIR" },
  coercivity: { type: 'enum', value: 'high|low', values: ['high', 'low'], help: 'magnetic stripe coercivity the printer writes (HiCo or LoCo blanks)', default: 'high' },

  // printer replay (issue 16)
  'replay-out': { type: 'path', flag: 'out', value: 'DIR', help: 'write each printed panel as PNG and transcript.json into DIR' },

  // card faces (issue 16)
  photo: { type: 'path', value: 'FILE', help: "the holder's photo, JPEG or PNG (dithered for a monochrome ribbon)" },
  panel: { type: 'path', value: 'FILE', help: "write the printer's panel: 1016 lines x 81 bytes, MSB first, 1 = ink (82 296 bytes)" },

  // printer batch (issue 16)
  'reader-name': { type: 'string', value: 'PATTERN', help: 'with --reader pcsc: the PC/SC reader whose name contains PATTERN (the one inside the printer)' },

  // fleet (issue 17): hotlist publish/status, gate --hotlist-feed/--events, site ingest
  nats: { type: 'string', value: 'URL', help: 'the NATS server with JetStream, nats://HOST:PORT (comma-separated for several)' },
  bucket: { type: 'string', value: 'NAME', help: 'the hot-list KV bucket', default: 'hotlist' },
  'hotlist-feed': { type: 'string', value: 'URL', help: 'follow the hot list in nats://HOST:PORT/BUCKET (snapshot, then every change); with --hotlist too, the file serves at once, until the feed\'s list is in' },
  'feed-wait': { type: 'number', value: 'S', help: 'with --hotlist-feed and no --hotlist: seconds to wait for the feed\'s first list before giving up (exit 4)', default: 60, number: { min: 0 } },
  events: { type: 'string', value: 'URL', help: 'deliver every decision to nats://HOST:PORT (stream EVENTS, subject ev.SITE.GATE) through the outbox' },
  'gate-id': { type: 'string', value: 'ID', help: 'this gate\'s id: 1-64 of A-Z a-z 0-9 _ - (events, status reports)' },
  site: { type: 'string', value: 'ID', help: 'the site\'s id as its gates publish it (ev.SITE.GATE): 1-64 of A-Z a-z 0-9 _ -' },
  outbox: { type: 'path', value: 'DIR', help: 'the outbox directory (default ./hmskort-outbox/SITE.GATE); alone, without --events, every decision is kept there' },
  'snapshot-every': { type: 'number', value: 'N', help: 'write a snapshot once N revisions passed since the last (or 5 % of the list)', default: 10_000, number: { integer: true, min: 1 } },
  keep: { type: 'number', value: 'N', help: 'deltas kept behind the snapshot for gates a little behind; older ones are purged', default: 10_000, number: { integer: true, min: 0 } },
  outboxes: { type: 'list', flag: 'outbox', value: 'DIR', help: "a gate's outbox directory, or a directory of them (hmskort-outbox/SITE.GATE); repeat it for several" },
  drain: { type: 'boolean', help: 'with --outbox: deliver what the outboxes hold now, then exit 0 (for cron)' },
  db: { type: 'string', value: 'postgres://...|DIR', help: 'the event store: a PostgreSQL URL, or a directory for PGlite (PostgreSQL in this process; created when absent)' },

  // site list (issue 18)
  date: { type: 'string', value: 'YYYY-MM-DD', help: 'the day, Europe/Oslo time' },
  csv: { type: 'boolean', help: 'write the list as CSV (RFC 4180, UTF-8, CRLF)' },
  name: { type: 'string', value: 'TEXT', help: "the worker's full name" },
  'birth-date': { type: 'string', value: 'YYYY-MM-DD', help: "the worker's birth date" },
  'org-number': { type: 'string', value: 'N', help: "the employer's organisation number (9 digits)" },
  'org-name': { type: 'string', value: 'TEXT', help: "the employer's name" },
  'hiring-org-number': { type: 'string', value: 'N', help: 'for a hired worker: the hiring company\'s organisation number' },
  'hiring-name': { type: 'string', value: 'TEXT', help: "for a hired worker: the hiring company's name" },
  from: { type: 'string', value: 'YYYY-MM-DD', help: 'the first day (Oslo)' },
  to: { type: 'string', value: 'YYYY-MM-DD', help: 'the last day (Oslo); default: the --from day' },

  // site export (issue 18)
  hmsreg: { type: 'string', value: 'URL', help: "HMSREG's base URL: registrations are POSTed to URL/api/registreringer" },
  user: { type: 'string', value: 'U', help: 'the HMSREG user (HTTP Basic authentication)' },
  'password-file': { type: 'path', value: 'FILE', help: "a file holding the HMSREG user's password (one line; never printed)" },
  'request-timeout': { type: 'number', value: 'MS', help: 'time-out of one HMSREG request, answer included', default: 10_000, number: { integer: true, min: 1 } },

  // site serve (issue 18)
  'serve-port': { type: 'number', flag: 'port', value: 'N', help: 'the TCP port the site page listens on (0: any free port, printed)', number: { integer: true, min: 0, max: 65535 } },
  'token-file': { type: 'path', value: 'FILE', help: 'a file holding the access token (at least 16 characters; one line)' },
  'prune-daily': { type: 'boolean', help: "apply the retention of site prune at start and every 24 h, in this process (a PGlite directory held by the page cannot be pruned by another process)" },

  // gate holder read (issue 18)
  'holder-read': { type: 'boolean', help: "after each decision, read and verify the rest of the card's record (signature against the keys file's publicKeys) and put the holder's name, birth date and employer's name into the event; needs --outbox or --events; a card this gate already read costs nothing extra" },

  // site-workers (issue 18): site workers, site remove-worker
  'worker-id': { type: 'number', flag: 'id', value: 'N', help: 'the id of a worker added by hand (as `hmskort site workers` lists it)', number: { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER } },
  'worker-delete': { type: 'boolean', flag: 'delete', help: 'delete the row (a worker added by mistake) instead of ending its range; prints what it deleted' },
  // end site-workers
  // hmsreg-once (issue 18 part 3: nothing is sent twice)
  'list-unknown': { type: 'boolean', help: 'print the taps in doubt (sent, no answer from HMSREG): gate, seq, card, instant, why; sends nothing' },
  'resend-unknown': { type: 'boolean', help: 'send the taps in doubt once more, deliberately (after checking that HMSREG does not have them), then the pending ones' },
  'mark-sent': { type: 'list', value: 'GATE:SEQ', help: 'a tap in doubt that HMSREG has (found in its own records): mark it sent; repeat it; sends nothing' },
} as const satisfies Record<string, OptionDefinition>;

export type OptionName = keyof typeof OPTIONS;

/** The command-line name of an option, with its dashes. */
export function flagOf(name: OptionName): string {
  const d: OptionDefinition = OPTIONS[name];
  return `--${d.flag ?? name}`;
}

/** What a command may say differently about an option of the table. */
export interface OptionOverride {
  readonly help?: string;
  readonly default?: string | number;
  readonly value?: string;
  readonly bytes?: readonly number[];
  readonly required?: boolean;
}

/** The table's definition of `name` with a command's override. */
export function definition(name: OptionName, override: OptionOverride = {}): OptionDefinition {
  return { ...(OPTIONS[name] as OptionDefinition), ...override };
}
