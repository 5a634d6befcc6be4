/**
 * `hmskort printer replay FILE --out DIR` (issue 16 part 4), run through a `printer` group made
 * here as src/cli/commands/printer.ts will make it (the group is engineer P1's): panels written as
 * PNG that decode back to the face the stream was built from, transcript.json with offsets,
 * meanings and unknown commands, and the refusals of a bad command line or file.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { defineGroup } from '../../../../src/cli/declare.js';
import { describeError } from '../../../../src/cli/exitStatus.js';
import { EVOLIS_COMMAND_NAME, escapeName, replayCommand } from '../../../../src/cli/commands/printerReplay.js';
import { COMMANDS } from '../../../../src/testing/evolisEmulator/commands.js';
import { fakeContext } from '../../../helpers/cli.js';
import { ascii, cat, firstDiff, frame, knownFace, pngInk, toPrinterLayout, windowsDriverStream } from '../../../helpers/evolisStreams.js';

const printer = defineGroup({ name: 'printer', summary: 'Evolis card printer', subcommands: { replay: replayCommand } });

async function run(cwd: string, argv: string[]) {
  const ctx = fakeContext({ cwd });
  try {
    return { status: await printer.run(argv, ctx), out: ctx.out(), err: ctx.err() };
  } catch (e) {
    const d = describeError(e);
    return { status: d.status, out: ctx.out(), err: d.line };
  }
}

describe('printer replay (emulator / scripted replies; no real printer)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hmsk-replay-'));
  const face = knownFace();
  // The Windows driver's stream with an unknown command spliced in before Se;1.
  const stream = cat(windowsDriverStream(toPrinterLayout(face)), frame('Qzz;1'));
  writeFileSync(join(dir, 'job.prn'), stream);

  it('writes the panel as a PNG that decodes to the face, and transcript.json', async () => {
    const r = await run(dir, ['replay', 'job.prn', '--out', 'out']);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('11 commands, 1 card(s), 1 panel(s) -> out');
    expect(r.out).toContain('unknown commands: Qzz @');
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['card-1-front-k.png', 'transcript.json']);
    expect(firstDiff(pngInk(PNG.sync.read(readFileSync(join(dir, 'out', 'card-1-front-k.png')))), face)).toBe(-1);
    const t = JSON.parse(readFileSync(join(dir, 'out', 'transcript.json'), 'utf8'));
    expect(t.bytes).toBe(stream.length);
    expect(t.commands[0]).toMatchObject({ offset: 0, length: 6, command: 'Pr', params: ['k'], meaning: 'ribbon type', known: 'doc', reply: 'OK' });
    expect(t.commands[8]).toMatchObject({ offset: 65, command: 'Dbc', params: ['k', '2', expect.any(String)], known: 'doc' });
    expect(t.commands[8].payloadBytes).toBe(Number(t.commands[8].params[2]));
    expect(t.unknown).toEqual([{ command: 'Qzz', offset: stream.length - 7 }]);
    expect(t.panels).toEqual([expect.objectContaining({ name: 'card-1-front-k.png', card: 1, side: 'front', panel: 'k', written: true })]);
  });

  it('--json prints the summary', async () => {
    const r = await run(dir, ['replay', '--json', 'job.prn', '--out', 'out2']);
    expect(JSON.parse(r.out)).toEqual({ commands: 11, unknown: [{ command: 'Qzz', offset: stream.length - 7 }], problems: 0, panels: ['card-1-front-k.png'], cards: 1, out: 'out2' });
  });

  it('refuses a missing --out (exit 2), an unreadable file (exit 4), a file without commands (exit 3)', async () => {
    writeFileSync(join(dir, 'zeros.bin'), new Uint8Array(100));
    expect((await run(dir, ['replay', 'job.prn'])).status).toBe(2);
    expect(await run(dir, ['replay', 'nope.prn', '--out', 'o'])).toMatchObject({ status: 4, err: expect.stringContaining('nope.prn') });
    expect(await run(dir, ['replay', 'zeros.bin', '--out', 'o'])).toMatchObject({ status: 3, err: expect.stringContaining('no documented Evolis command') });
    expect(printer.usage).toContain('--out DIR');
  });

  it('a PNG or a text file: exit 3 naming the file, no list of binary "commands" (A5013 p.4 names)', async () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 64, height: 64 }), {}));
    // ESC bytes inside the image data make frames out of binary; the file still holds no command.
    const noisy = cat(png, ...Array.from({ length: 300 }, (_, i) => ascii(`\x1b\x89P${String.fromCharCode(0x80 + (i % 100))}\r`)));
    writeFileSync(join(dir, 'photo.png'), noisy);
    writeFileSync(join(dir, 'notes.txt'), 'Dear printer,\r\n\x1bplease print\r\n');
    for (const f of ['photo.png', 'notes.txt']) {
      const r = await run(dir, ['replay', f, '--out', 'o-' + f]);
      expect(r).toMatchObject({ status: 3, out: '', err: expect.stringContaining(`${f}: no documented Evolis command`) });
    }
  });

  it('unknown names: escaped (\\xNN), the first 10 shown, the rest in transcript.json; only command-like names counted', async () => {
    const junk = Array.from({ length: 25 }, (_, i) => ascii(`\x1b\x01Z${String.fromCharCode(0xc0 + i)}\r`));
    writeFileSync(join(dir, 'junk.prn'), cat(frame('Ss'), frame('Qzz;1'), ...junk, frame('Se')));
    const r = await run(dir, ['replay', 'junk.prn', '--out', 'junk']);
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain('3 commands, ');
    const line = r.out.split('\n').find((l) => l.startsWith('unknown commands: '))!;
    expect(line).toMatch(/^unknown commands: Qzz @4, \\x01Z\\xc0 @\d+, /);
    expect(line).toMatch(/, and 16 more \(transcript\.json\)$/);
    expect(line).not.toMatch(/[^\x20-\x7e]/);
    const t = JSON.parse(readFileSync(join(dir, 'junk', 'transcript.json'), 'utf8'));
    expect(t.unknown).toHaveLength(26);
  });

  it('every command of the documents (the emulator\'s table, each with its source) has a name of the Evolis form; escapeName', () => {
    const names = Object.keys(COMMANDS);
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => !EVOLIS_COMMAND_NAME.test(n))).toEqual([]);
    expect(['\x89PNG', 'PNG', 'IHDR', 'sRGB', 'hello', 'Dear printer'].filter((n) => EVOLIS_COMMAND_NAME.test(n))).toEqual([]);
    expect(escapeName('\x89P\\N\x00 G')).toBe('\\x89P\\\\N\\x00\\x20G');
  });

  it('a truncated stream is written as far as it goes, its last command listed with the problem', async () => {
    writeFileSync(join(dir, 'cut.prn'), cat(frame('Ss'), ascii('\x1bDb;k;2;'), new Uint8Array(100)));
    const r = await run(dir, ['replay', 'cut.prn', '--out', 'cut']);
    expect(r.status).toBe(0);
    const t = JSON.parse(readFileSync(join(dir, 'cut', 'transcript.json'), 'utf8'));
    expect(t.problems).toEqual([expect.objectContaining({ command: 'Db', reply: 'ERROR PARAMETRES', problem: expect.stringContaining('82196 bytes into') })]);
  });
});
