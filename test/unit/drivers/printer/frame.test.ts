/**
 * The Evolis command frame (A5013 rev. E p.4) against bytes published or captured elsewhere:
 * the SDK magnetic-encoding note's example (S11) and the header of a command stream captured from
 * the official Windows driver (S10 test.windows/card-white, bytes 0-79, as research/evolis.md §5.3
 * copies them). Expected bytes are the documents', written out here.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../../../../src/drivers/printer/frame.js';
import { PrinterError } from '../../../../src/drivers/printer/errors.js';
import { fromHex, toHex } from '../../../helpers/hex.js';

const concat = (parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

describe('encodeCommand: the documents\' bytes (emulator / scripted replies; no real printer)', () => {
  it('Dm;1;80C3D245 is 1B 44 6D 3B 31 3B 38 30 43 33 44 32 34 35 0D (S11)', () => {
    expect(toHex(encodeCommand('Dm', ['1', '80C3D245']))).toBe(toHex(fromHex('1B 44 6D 3B 31 3B 38 30 43 33 44 32 34 35 0D')));
  });

  it('the official driver\'s header of card-white, bytes 0-79 (S10, evolis.md §5.3)', () => {
    const captured = fromHex(
      '1b50723b6b0d 1b506d693b463b730d 1b50633b6b3b3d3b31300d 1b5064743b44550d 1b4d723b730d 1b507077733b313238313736313739390d 1b53730d 1b53720d 1b4462633b6b3b323b34323833323b',
    );
    expect(captured.length).toBe(80);
    const payload = new Uint8Array(42832).fill(0x0d); // CR and ESC in a payload are data, not framing
    const ours = concat([
      encodeCommand('Pr', ['k']),
      encodeCommand('Pmi', ['F', 's']),
      encodeCommand('Pc', ['k', '=', '10']),
      encodeCommand('Pdt', ['DU']),
      encodeCommand('Mr', ['s']),
      encodeCommand('Ppws', ['1281761799']),
      encodeCommand('Ss'),
      encodeCommand('Sr'),
      encodeCommand('Dbc', ['k', '2', '42832'], payload),
    ]);
    expect(toHex(ours.subarray(0, 80))).toBe(toHex(captured));
    // Then the data at offset 80 and one CR after it (S10: "the data starts at offset 80, followed by CR").
    expect(ours.length).toBe(80 + 42832 + 1);
    expect(ours[ours.length - 1]).toBe(0x0d);
  });

  it('a command without parameters is ESC name CR', () => {
    expect(toHex(encodeCommand('Sic'))).toBe('1b5369630d');
  });
});

describe('encodeCommand refuses what would break the frame (emulator / scripted replies; no real printer)', () => {
  const refused = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof PrinterError ? e.code : `not a PrinterError: ${String(e)}`;
    }
    return 'accepted';
  };

  it.each([
    ['a separator inside a parameter', () => encodeCommand('Dm', ['1', 'A;B'])],
    ['a CR inside a parameter', () => encodeCommand('Dm', ['1', 'A\rB'])],
    ['an ESC inside a parameter', () => encodeCommand('Dm', ['1', 'A\x1bB'])],
    ['a non-ASCII character', () => encodeCommand('Dm', ['1', 'Ø'])],
    ['a command name with a digit', () => encodeCommand('S1')],
    ['an empty command name', () => encodeCommand('')],
    ['a command starting in lower case', () => encodeCommand('sic')],
  ])('%s: BAD_DATA', (_what, f) => {
    expect(refused(f)).toBe('BAD_DATA');
  });

  it('wrong-typed arguments: INVALID_ARGUMENT naming encodeCommand', () => {
    expect(() => encodeCommand(42 as unknown as string)).toThrow(/encodeCommand: command/);
    expect(() => encodeCommand('Ss', 'x' as unknown as string[])).toThrow(/encodeCommand: params/);
    expect(() => encodeCommand('Dbc', [], [1, 2] as unknown as Uint8Array)).toThrow(/encodeCommand: payload/);
  });
});
