/**
 * The `hmskort` command: dispatches to sub-commands, loaded lazily so that `hmskort vectors` never
 * loads a native driver module. Errors are printed as one line; the stack only with --verbose.
 * The exit status of an error is chosen in one place, exitStatus.ts.
 */
import { EXIT, EXIT_TABLE, type CliCommand, type CliContext } from './command.js';
import { describeError } from './exitStatus.js';

export { describeError } from './exitStatus.js';

/**
 * Sub-command name -> loader. Literal import() paths so bundlers and vitest resolve them; each is
 * loaded only when its command runs.
 */
type Loader = () => Promise<{ command: CliCommand }>;
const COMMANDS: Record<string, Loader> = {
  vectors: () => import('./commands/vectors.js'),
  encode: () => import('./commands/encode.js'),
  decode: () => import('./commands/decode.js'),
  card: () => import('./commands/card.js'),
  simulate: () => import('./commands/simulate.js'),
  reader: () => import('./commands/reader.js'),
  stripe: () => import('./commands/stripe.js'),
  barcode: () => import('./commands/barcode.js'),
  'card-back': () => import('./commands/cardBack.js'),
  'card-front': () => import('./commands/cardFront.js'),
  batch: () => import('./commands/batch.js'),
  demo: () => import('./commands/demo.js'),
  lab: () => import('./commands/lab.js'),
  gate: () => import('./commands/gate.js'),
  printer: () => import('./commands/printer.js'),
  hotlist: () => import('./commands/hotlist.js'),
  site: () => import('./commands/site.js'),
};

/** The registered command names, in the order `hmskort --help` lists them. */
export const COMMAND_NAMES: readonly string[] = Object.keys(COMMANDS);

export async function load(name: string): Promise<CliCommand | undefined> {
  const loader = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  return loader ? (await loader()).command : undefined;
}

async function overview(): Promise<string> {
  const lines = ['Usage: hmskort <command> [options]   (hmskort <command> --help for details)', '', 'Commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const c = await load(name).catch(() => undefined);
    if (c) lines.push(`  ${name.padEnd(10)} ${c.summary}`);
  }
  lines.push('', 'Exit status (every command):', ...EXIT_TABLE.map(([code, what]) => `  ${code}  ${what}`));
  return lines.join('\n') + '\n';
}

export function defaultContext(): CliContext {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
    signal: ac.signal,
  };
}

export async function main(argv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((a) => a !== '--verbose');
  const name = args[0];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout(await overview());
    return name ? EXIT.OK : EXIT.USAGE;
  }
  if (name === '--version') {
    ctx.stdout('hmskort 0.1.0\n');
    return EXIT.OK;
  }
  const cmd = await load(name);
  if (!cmd) {
    ctx.stderr(`hmskort: unknown command '${name}'. Run 'hmskort --help'.\n`);
    return EXIT.USAGE;
  }
  if (args.includes('--help') || args.includes('-h')) {
    ctx.stdout(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return EXIT.OK;
  }
  try {
    return await cmd.run(args.slice(1), ctx);
  } catch (e) {
    const { status, line } = describeError(e);
    ctx.stderr(`hmskort ${name}: ${line}\n`);
    if (status === EXIT.USAGE) ctx.stderr(`Run 'hmskort ${name} --help'.\n`);
    // A usage error's stack is this program's parser, not the user's problem: --verbose shows it
    // only for the other errors.
    if (verbose && status !== EXIT.USAGE && e instanceof Error && e.stack) ctx.stderr(e.stack + '\n');
    return status;
  }
}
