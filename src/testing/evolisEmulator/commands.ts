/**
 * What each Evolis command means, with where it is documented (evolis.md §1-§4; S1 = A5013 rev. E
 * page, S3 = evolis.h, S5 = libevolis.so strings, S7/S8 = Zenius kiosk driver, S9 = Evolis VB
 * samples, S10 = official Windows driver captures, S14 = QZ Tray). A command not in this table is
 * unknown: the emulator answers `ERROR CDE` (S9 analyzeAnswer: "ERROR CDE" = bad command) and lists
 * it. `known: 'seen'` marks commands that Evolis's own software sends but whose meaning is not
 * documented [UNK]: a printer takes them (the official driver sends them), so they are answered OK
 * and listed apart in a replay's transcript.
 */

export interface CommandInfo {
  readonly meaning: string;
  readonly source: string;
  readonly known: 'doc' | 'seen';
}

const doc = (meaning: string, source: string): CommandInfo => ({ meaning, source, known: 'doc' });
const seen = (meaning: string, source: string): CommandInfo => ({ meaning, source, known: 'seen' });

export const COMMANDS: Readonly<Record<string, CommandInfo>> = {
  // Card movement (S1 p.41-44; evolis.md §2)
  Si: doc('insert a card and park it at the print position', 'S1 p.42'),
  Sib: doc('insert a card from the back', 'S1 p.42'),
  Sic: doc('insert a card and move it to the contactless station', 'S1 p.43, p.61'),
  Sis: doc('insert a card and move it to the contact (smart card) station', 'S1 p.57, p.59'),
  Sie: doc('insert a card, then eject it (mechanical test)', 'S1 p.43'),
  Se: doc('end of sequence: eject the card to the output tray', 'S1 p.42'),
  Ser: doc('eject the card into the reject box', 'S1 p.42'),
  Seb: doc('eject the card into the reject box under the feeder', 'S1 p.42'),
  Ss: doc('start of sequence', 'S1 p.44'),
  Sr: doc('print on the front (recto)', 'S1 p.40-45'),
  Sv: doc('print on the back (verso; needs the flip-over module)', 'S1 p.40-45'),
  Srs: doc('software reset', 'S1 p.44'),
  Scp: doc('cleaning cycle', 'S1 p.41'),
  Ssd: doc('print a panel without downloading', 'S1 p.44'),
  Sp: doc('print one panel', 'S1 p.40-45'),
  // Downloads (S1 p.5-6, p.14-15, p.46, p.49)
  Db: doc('download a panel bitmap, uncompressed', 'S1 p.14'),
  Dbc: doc('download a panel bitmap, line-compressed', 'S1 p.6, p.15'),
  Dm: doc('download magnetic track data (ASCII)', 'S1 p.49; S11'),
  Wcb: doc('clear or fill a panel bitmap', 'S1 p.46'),
  Wt: doc('write text into the bitmap', 'S1 p.29'),
  Wb: doc('write a barcode into the bitmap', 'S1 p.46'),
  // Magnetic stripe (S1 p.48-55)
  Smw: doc('write the downloaded tracks (the printer checks what it wrote)', 'S1 p.48-55; S11'),
  Smr: doc('read a magnetic track', 'S1 p.55'),
  Pmc: doc('magnetic coercivity: h high, l low', 'S1 p.48-55; S3'),
  Pmt: doc('magnetic track format: 1 ISO1, 2 ISO2, 3 ISO3, 4 SIPASS, 5 custom 8-bit, 6 custom 4-bit', 'S1 p.51'),
  Pmtc: doc('track sentinels and LRC', 'S1 p.51'),
  Pmd: doc('magnetic density', 'S1 p.50-52'),
  Pmbs: doc('magnetic start offset', 'S1 p.50-52'),
  Pml: doc('magnetic length', 'S1 p.50-52'),
  Pmts: doc('magnetic start per track', 'S1 p.50-52'),
  // Parameters (S1 p.7, p.19-27, p.57, p.61)
  Pr: doc('ribbon type', 'S1 p.19-26'),
  Pc: doc('contrast of a panel', 'S1 p.19-26'),
  Pl: doc('luminosity of a panel', 'S1 p.19-26'),
  Ps: doc('print speed', 'S1 p.19-26'),
  Pmi: doc('insertion mode: F feeder, M manual, B feeder if no card inside', 'S1 p.22'),
  Pem: doc('error management: 0 printer, 2 software', 'S1 p.20'),
  Pwr: doc('rotation of text and logos', 'S1 p.19-26, p.29'),
  Pos: doc('contact station offset (default 1158 dots)', 'S1 p.57'),
  Poc: doc('contactless station offset', 'S1 p.61-62'),
  Pcom: doc('serial line settings', 'S1 p.7'),
  Pbm: doc('monochrome mode', 'S1 p.19-26'),
  Pmk: doc('monochrome mode', 'S1 p.19-26'),
  Ppk: doc('monochrome mode', 'S1 p.19-26'),
  Pps: seen('disable driver printer parameter supervision', 'S14'),
  Pcim: seen('card insertion mode (F feeder, B/M manual)', 'S5; S7 l.937'),
  Pcem: seen('card ejection mode (M, I output; N reject)', 'S5; S7 l.938, l.1010'),
  Pcrm: seen('card rejection mode (D reject box)', 'S5; S7 l.1122'),
  Pneab: seen('end-of-job ejection (E do not eject, D eject, A;0|1 forbid/allow)', 'S7 l.940'),
  Psmgr: seen('insert/eject blocking', 'S7 l.937'),
  Pbc: seen('bezel time-out action', 'S7'),
  Pdt: seen('sent by the official Windows driver (Pdt;DU); meaning unknown', 'S10'),
  Mr: seen('sent by the official Windows driver (Mr;s); meaning unknown', 'S10'),
  Ppws: seen('sent by the official Windows driver and libevolis with a Unix time; meaning unknown', 'S5; S10'),
  Psync: seen('job section markers of libevolis; meaning unknown', 'S5'),
  Pwres: seen('extended resolution; meaning unknown', 'S5'),
  Ase: doc('in the guide (example Ase;c;150); meaning not in the research notes', 'S1 p.13'),
  Sk: doc('in the guide (example Sk;f;1); meaning not in the research notes', 'S1 p.64'),
  // Reads (S1 p.31-38, p.62)
  Rfv: doc('firmware version', 'S1 p.31-38'),
  Rtp: doc('printer model', 'S1 p.31-38'),
  Rsn: doc('serial number', 'S1 p.31-38'),
  Rkn: doc('print head kit number', 'S1 p.31-38'),
  Rco: doc('counters', 'S1 p.31-38'),
  Rlr: doc('card position (p), cleaning (r), reject box (h)', 'S1 p.34; S6; S8 l.2169'),
  Rse: doc('a sensor, in volts', 'S1 p.37; S8 l.1953'),
  Rem: doc('error management mode', 'S1 p.32'),
  Rmc: doc('magnetic coercivity', 'S1 p.48-55'),
  Roc: doc('contactless station offset', 'S1 p.62'),
  Rmb: seen('magnetic read buffer of a track', 'S9 CMag.vb'),
};

/** The meaning of `command`, or undefined when it is unknown. */
export function commandInfo(command: string): CommandInfo | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
}
