/**
 * The command sequences against the documents: the SDK's magnetic-encoding sequence (S15: Pmc;h,
 * Pmt;1;1, Pmt;2;2, Pmt;3;3, ..., Dm;1..3, Smw), its example data (Dm;1;EVOLISCARDPRINTER,
 * Dm;2;123456789, Dm;3;222002), the Quantum manual's track table (S12), and the Windows driver's
 * print header (S10: Pr;k, Ss, Sr, Dbc;k;2;N;).
 */
import { describe, expect, it } from 'vitest';
import { printSteps, stripeSteps, type PrinterCommand } from '../../../../src/drivers/printer/sequences.js';
import { PANEL_LINE_BYTES, PANEL_LINES } from '../../../../src/drivers/printer/types.js';

const texts = (steps: PrinterCommand[]) => steps.map((s) => [s.command, ...s.params].join(';'));

describe('stripeSteps: the SDK sequence (S15) (emulator / scripted replies; no real printer)', () => {
  it("the SDK example's three tracks", () => {
    const steps = stripeSteps({ track1: 'EVOLISCARDPRINTER', track2: '123456789', track3: '222002' });
    expect(texts(steps)).toEqual(['Pmc;h', 'Pmt;1;1', 'Pmt;2;2', 'Pmt;3;3', 'Dm;1;EVOLISCARDPRINTER', 'Dm;2;123456789', 'Dm;3;222002', 'Smw']);
    expect(steps.map((s) => s.timeout)).toEqual(['parameter', 'parameter', 'parameter', 'parameter', 'parameter', 'parameter', 'parameter', 'mag']);
  });

  it('low coercivity, track 2 only', () => {
    expect(texts(stripeSteps({ track2: '974760673=1234567890128=2806301001' }, 'low'))).toEqual(['Pmc;l', 'Pmt;2;2', 'Dm;2;974760673=1234567890128=2806301001', 'Smw']);
  });

  it.each([
    [{ track2: ';123=45?' }, /track 2: character ";" at offset 0 .*no sentinels/],
    [{ track1: '%HBUILDER^NAME^?' }, /track 1: character "%" at offset 0/],
    [{ track1: 'A;B' }, /track 1: character ";" at offset 1/],
    [{ track2: '12A' }, /track 2: character "A"/],
    [{ track3: '12?' }, /track 3: character "\?"/],
    [{ track1: 'A'.repeat(77) }, /track 1: 77 characters, at most 76/],
    [{ track2: '1'.repeat(38) }, /track 2: 38 characters, at most 37/],
    [{ track3: '1'.repeat(105) }, /track 3: 105 characters, at most 104/],
    [{ track1: '' }, /track 1: empty/],
    [{}, /no track to write/],
  ])('%j is refused: %s', (data, message) => {
    expect(() => stripeSteps(data)).toThrow(message);
  });

  it("S12's capacities are reached: 76, 37, 104 characters", () => {
    expect(() => stripeSteps({ track1: 'A'.repeat(76), track2: '1'.repeat(37), track3: '1'.repeat(104) })).not.toThrow();
  });
});

describe('printSteps: the Windows driver\'s header (S10) and the guide\'s sequence (S1 p.42, p.69) (emulator / scripted replies; no real printer)', () => {
  const panel = (ink: number) => ({ data: new Uint8Array(PANEL_LINES * PANEL_LINE_BYTES).fill(ink) });

  it('front only: Pr;k Ss Sr Dbc;k;2;N Se, N the payload length', () => {
    const steps = printSteps(panel(0));
    expect(texts(steps)).toEqual(['Pr;k', 'Ss', 'Sr', `Dbc;k;2;${PANEL_LINES}`, 'Se']);
    expect(steps[3].payload?.length).toBe(PANEL_LINES);
  });

  it('front and back: Sv and a second download before Se', () => {
    expect(texts(printSteps(panel(0), panel(0xff)))).toEqual(['Pr;k', 'Ss', 'Sr', `Dbc;k;2;${PANEL_LINES}`, 'Sv', `Dbc;k;2;${PANEL_LINES}`, 'Se']);
  });

  it('a panel of the wrong size is refused before anything is sent', () => {
    expect(() => printSteps({ data: new Uint8Array(10) })).toThrow(/front panel: data must be 1016 lines of 81 bytes/);
    expect(() => printSteps(panel(0), { data: 'x' } as never)).toThrow(/back panel/);
  });
});
