/**
 * `hmskort printer replay FILE --out DIR` (issue 16 part 4): a captured Evolis command stream (what
 * any driver sent to the printer) through the printer emulator's parser and state machine
 * (src/testing/evolisEmulator): each printed panel as a PNG in the landscape orientation a person
 * sees, and transcript.json with every command, its offset, meaning, source and the emulator's
 * reply. Unknown commands are listed, not fatal; a file with no documented command at all (a PNG, a
 * text file) is refused. A sub-command of the `printer` group (src/cli/commands/printer.ts).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, InputError, UsageError } from '../command.js';
import { declare } from '../declare.js';
import { FileReadError, makeOutputDir } from '../files.js';
import { replayEvolisStream } from '../../testing/evolisEmulator/replay.js';
import type { TranscriptEntry } from '../../testing/evolisEmulator/emulator.js';

/**
 * An Evolis command name is a capital letter naming its family (S sequence, P parameter, R read,
 * D download, ...) followed by lower-case letters (S1 A5013 p.4 and every name in its command
 * tables, evolis.md §2-4: Ss, Sic, Pmc, Rlr, Dbc, Siscan). A frame whose name is not so is bytes
 * that happened to follow an ESC (an image, a text file), not a command.
 */
export const EVOLIS_COMMAND_NAME = /^[A-Z][a-z]{0,5}$/;

/** How many unknown names the terminal shows; transcript.json has them all. */
const SHOWN_UNKNOWN = 10;

/** A name as the terminal may show it: printable ASCII kept, every other byte as \xNN. */
export function escapeName(name: string): string {
  return name.replace(/[^\x21-\x7e]|\\/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

function unknownLine(unknown: readonly TranscriptEntry[]): string {
  const shown = unknown.slice(0, SHOWN_UNKNOWN).map((u) => `${escapeName(u.command)} @${u.offset}`);
  const more = unknown.length > SHOWN_UNKNOWN ? `, and ${unknown.length - SHOWN_UNKNOWN} more (transcript.json)` : '';
  return `unknown commands: ${shown.join(', ')}${more}\n`;
}

const description = `Reads FILE as an Evolis command stream (ESC command;parameters CR, binary Db/Dbc
bitmaps read by their length, NUL padding skipped) and replays it on the printer emulator: every
printed panel is written to DIR as card-N-SIDE-PANEL.png (landscape, as the card is seen), and
DIR/transcript.json lists each command with its offset, meaning, source and reply. Commands not in
the documents are listed as unknown and answered ERROR CDE, as a printer does; the replay goes on.
Only frames named like Evolis commands (a capital, then lower-case letters: A5013 p.4) count as
commands; the terminal shows the first ${SHOWN_UNKNOWN} unknown names, other bytes than printable
ASCII as \\xNN (transcript.json lists them all).
Exit 0 when the stream was read, 3 when FILE holds no documented Evolis command (an image, a text
file).`;

export const replayCommand = declare({
  positionals: 'FILE',
  description,
  options: { 'replay-out': { required: true }, json: {} },
  async run(values, positionals, ctx) {
    if (positionals.length !== 1) throw new UsageError('give exactly one FILE (a captured command stream)');
    const file = positionals[0];
    let bytes: Buffer;
    try {
      bytes = await readFile(resolve(ctx.cwd, file));
    } catch (e) {
      throw new FileReadError(file, e);
    }
    const dir = await makeOutputDir(values['replay-out'], '--out', ctx.cwd);
    const r = await replayEvolisStream(bytes);
    if (!r.transcript.some((e) => e.known !== 'unknown')) throw new InputError(`${file}: no documented Evolis command in ${bytes.length} bytes: not a printer command stream`);
    for (const p of r.panels) if (p.png) await writeFile(join(dir, p.name), p.png);
    const panels = r.panels.map(({ png, ...rest }) => ({ ...rest, written: png !== undefined }));
    const transcript = { file, bytes: bytes.length, commands: r.transcript, unknown: r.unknown.map((e) => ({ command: e.command, offset: e.offset })), problems: r.problems, panels, cards: r.cards };
    await writeFile(join(dir, 'transcript.json'), JSON.stringify(transcript, null, 2) + '\n');
    const summary = { commands: r.transcript.filter((e) => EVOLIS_COMMAND_NAME.test(e.command)).length, unknown: transcript.unknown, problems: r.problems.length, panels: panels.filter((p) => p.written).map((p) => p.name), cards: r.cards.length, out: values['replay-out'] };
    if (values.json) ctx.stdout(JSON.stringify(summary) + '\n');
    else {
      ctx.stdout(`${summary.commands} commands, ${summary.cards} card(s), ${summary.panels.length} panel(s) -> ${summary.out}\n`);
      for (const p of summary.panels) ctx.stdout(`  ${p}\n`);
      if (summary.unknown.length) ctx.stdout(unknownLine(r.unknown));
      if (summary.problems) ctx.stdout(`${summary.problems} command(s) with a problem: see transcript.json\n`);
    }
    return EXIT.OK;
  },
});
