/**
 * The command sequences of the card cycle, as data: which commands EvolisPrinter sends, in which
 * order, with which time-out class. Pure, so a test compares them with the documents' sequences
 * and the emulator can replay them. Each step cites where it comes from (research/evolis.md).
 */
import { needObject } from '../../codec/guard.js';
import { PrinterError } from './errors.js';
import { compressPanel } from './panelCompression.js';
import { PANEL_LINE_BYTES, PANEL_LINES, type MonoPanel, type StripeData } from './types.js';

/**
 * What a command waits for, and so its time-out (timeouts.ts): a parameter or a read, a card
 * movement, the magnetic head, printing.
 */
export type TimeoutClass = 'parameter' | 'movement' | 'mag' | 'print';

export interface PrinterCommand {
  readonly command: string;
  readonly params: readonly string[];
  readonly payload?: Uint8Array;
  readonly timeout: TimeoutClass;
}

const step = (command: string, params: string[], timeout: TimeoutClass, payload?: Uint8Array): PrinterCommand => ({ command, params, timeout, ...(payload ? { payload } : {}) });

/**
 * Track data as the printer takes it in the ISO modes: no start or end sentinel, no LRC, the
 * encoder adds them (A5013 p.49; Quantum manual S12: "including the Start, Stop and LRC characters
 * which are automatically handled by the magnetic encoder"). S12's capacities with those three
 * characters taken off: 79 - 3, 40 - 3, 107 - 3. Character sets (S12): track 1 ASCII 0x20-0x5F
 * "except for the ? character"; tracks 2 and 3 ASCII 0x30-0x3E. '%' (track 1) and ';' (tracks
 * 2, 3) are the start sentinels (ISO/IEC 7811-2), and ';' also separates parameters of the frame
 * (S1 p.4), so neither can be sent as data.
 */
export const TRACK_RULES = {
  1: { max: 76, valid: (c: number) => c >= 0x20 && c <= 0x5f && c !== 0x3f && c !== 0x25 && c !== 0x3b, set: 'ASCII 0x20-0x5F without % ; ?' },
  2: { max: 37, valid: (c: number) => c >= 0x30 && c <= 0x3e && c !== 0x3b, set: '0-9 : < = >' },
  3: { max: 104, valid: (c: number) => c >= 0x30 && c <= 0x3e && c !== 0x3b, set: '0-9 : < = >' },
} as const;

function checkTrack(track: 1 | 2 | 3, data: unknown): string {
  const rule = TRACK_RULES[track];
  if (typeof data !== 'string') throw new PrinterError('BAD_DATA', `track ${track}: expected a string, got ${data === null ? 'null' : typeof data}`);
  if (data.length === 0) throw new PrinterError('BAD_DATA', `track ${track}: empty (leave it out instead)`);
  if (data.length > rule.max) throw new PrinterError('BAD_DATA', `track ${track}: ${data.length} characters, at most ${rule.max} without sentinels and LRC (S12)`);
  for (let i = 0; i < data.length; i++) {
    if (!rule.valid(data.charCodeAt(i))) {
      const sentinel = i === 0 || i === data.length - 1 ? ' (StripeData carries no sentinels: A5013 p.49)' : '';
      throw new PrinterError('BAD_DATA', `track ${track}: character ${JSON.stringify(data[i])} at offset ${i} is not in ${rule.set}${sentinel}`);
    }
  }
  return data;
}

/**
 * Coercivity, track formats, download, write (A5013 p.48-51; the SDK's sequence S15: Pmc;h,
 * Pmt;1;1, Pmt;2;2, Pmt;3;3, Ss, Dm;1..3, Smw). We send no Ss here: the card is already in a
 * sequence of the card cycle (Sic), and the VB sample S9 `WriteTracks` sends its Ss before Pmc
 * for a card it has just inserted; the Ss of printing comes in printSteps. Format code t for ISO
 * track t (S1 p.51: 1 ISO1, 2 ISO2, 3 ISO3; the SDK enum numbering differs, S3).
 */
export function stripeSteps(data: StripeData, coercivity: 'high' | 'low' = 'high'): PrinterCommand[] {
  needObject('stripeSteps', 'data', data);
  if (coercivity !== 'high' && coercivity !== 'low') throw new PrinterError('BAD_DATA', `coercivity: "high" or "low", got ${JSON.stringify(coercivity)}`);
  const tracks = ([1, 2, 3] as const).filter((t) => data[`track${t}`] !== undefined).map((t) => [t, checkTrack(t, data[`track${t}`])] as const);
  if (tracks.length === 0) throw new PrinterError('BAD_DATA', 'writeStripe: no track to write');
  return [
    step('Pmc', [coercivity === 'high' ? 'h' : 'l'], 'parameter'), // S1 p.48: h high, l low coercivity
    ...tracks.map(([t]) => step('Pmt', [String(t), String(t)], 'parameter')), // S1 p.51, S15
    ...tracks.map(([t, d]) => step('Dm', [String(t), d], 'parameter')), // S1 p.49; bytes as S11's example
    // "The written data are automatically checked by the printer" (S11): its reply is the verdict.
    step('Smw', [], 'mag'),
  ];
}

function checkPanel(which: string, panel: unknown): Uint8Array {
  const data = (panel as MonoPanel | null)?.data;
  if (!(data instanceof Uint8Array) || data.length !== PANEL_LINES * PANEL_LINE_BYTES) {
    throw new PrinterError('BAD_DATA', `${which} panel: data must be ${PANEL_LINES} lines of ${PANEL_LINE_BYTES} bytes (${PANEL_LINES * PANEL_LINE_BYTES}), got ${data instanceof Uint8Array ? `${data.length} bytes` : 'no bytes'}`);
  }
  return data;
}

/** `Dbc;k;2;N;` + the compressed K panel (S1 p.6 parameter form, as the Windows driver sends it, S10). */
function blackPanel(which: string, panel: unknown): PrinterCommand {
  const payload = compressPanel(checkPanel(which, panel));
  return step('Dbc', ['k', '2', String(payload.length)], 'print', payload);
}

/**
 * A monochrome card: ribbon, sequence start, front, (back), end (S1 p.26, p.40-45, p.69; the
 * Windows driver's header `Pr;k`, `Ss`, `Sr`, `Dbc;k;2;N;`, S10 test.windows/card-white). "Each
 * download prints the previous panel" and `Se` prints the last one and ejects (S1 p.69), so the
 * downloads and Se get the print time-out. The back needs a flip-over module (`Sv`, S1 p.42); a
 * printer without one answers with an error, which is thrown.
 */
export function printSteps(front: MonoPanel, back?: MonoPanel): PrinterCommand[] {
  const steps = [
    step('Pr', ['k'], 'parameter'), // S10 (the guide's name for black mono is kb, S1 p.19)
    step('Ss', [], 'parameter'), // S1 p.44
    step('Sr', [], 'movement'), // S1 p.42: print the front
    blackPanel('front', front),
  ];
  if (back !== undefined) steps.push(step('Sv', [], 'print'), blackPanel('back', back)); // S1 p.42
  steps.push(step('Se', [], 'print')); // S1 p.42, p.69
  return steps;
}
