/**
 * The emulator's answers to read commands (evolis.md §2; S1 p.31-38). Values the documents do not
 * give (firmware, model, serial) come from the emulator's options.
 */
import type { EvolisFrame } from './frames.js';
import type { EvolisEmulator } from './emulator.js';
import { PRINTER_ERRORS } from './faults.js';

/** `Rlr;p` (S6: OK = no card, CARD after an insert; S7 l.1369, S8 l.2282-2319 for the stations). */
const POSITION_WORDS = { none: 'OK', print: 'CARD', contact: 'SMART CARD', contactless: 'CONTACTLESS CARD' } as const;

/** A sensor voltage with a comma decimal, as the printer writes it (S7 l.1191; S8 l.1953). */
const volts = (high: boolean) => (high ? '5,00 Volts' : '0,00 Volts');

export function readCommand(em: EvolisEmulator, frame: EvolisFrame): { reply: string; problem?: string } {
  const m = em.machine;
  const [p0] = frame.params;
  switch (frame.command) {
    case 'Rfv':
      return { reply: em.settings.firmware };
    case 'Rtp':
      return { reply: em.settings.model };
    case 'Rsn':
      return { reply: em.settings.serial };
    case 'Rem':
      return { reply: m.job.errorManagement };
    case 'Rmc':
      return { reply: m.job.coercivity };
    case 'Rlr':
      if (p0 === 'p') return { reply: POSITION_WORDS[m.position] };
      // S1 p.34: `Rlr;r` returns ERR NEED CLEANING when cleaning is due; `Rlr;c` the same (S9 CDualys.vb).
      if (p0 === 'r' || p0 === 'c') return { reply: m.condition === PRINTER_ERRORS.needCleaning ? 'ERR NEED CLEANING' : 'OK' };
      // S8 l.1957: CARD when the reject box is (near) full, else NO CARD; the emulator's box is never full.
      if (p0 === 'h') return { reply: 'NO CARD' };
      return { reply: PRINTER_ERRORS.badParameter, problem: `Rlr option ${JSON.stringify(p0)} is not p, r, c or h` };
    case 'Rse':
      // S1 p.37 names the sensors; S7/S8 give the readings: f feeder (0 V empty), o cover (0 V open).
      if (p0 === 'f') return { reply: volts(m.feeder > 0) };
      if (p0 === 'o') return { reply: volts(m.condition !== PRINTER_ERRORS.coverOpen) };
      if (p0 === 'p') return { reply: volts(m.card !== undefined) };
      if (p0 !== undefined && /^[cmrnMb]$/.test(p0)) return { reply: volts(false) };
      return { reply: PRINTER_ERRORS.badParameter, problem: `Rse sensor ${JSON.stringify(p0)} unknown` };
    case 'Rco':
      return { reply: String(m.cards.length) };
    case 'Roc':
      return { reply: '0' };
    case 'Rkn':
      return { reply: 'EMULATED' };
    case 'Rmb':
      return trackReply(em, p0);
  }
  return { reply: 'OK' };
}

/** `Smr;t` / `Rmb;t`: the track's data without sentinels (S15), or the blank-track reply. */
export function trackReply(em: EvolisEmulator, track: string | undefined): { reply: string; problem?: string } {
  if (track !== '1' && track !== '2' && track !== '3') return { reply: PRINTER_ERRORS.badParameter, problem: `track ${JSON.stringify(track)} is not 1, 2 or 3` };
  const data = em.machine.card?.tracks[Number(track) as 1 | 2 | 3];
  return data === undefined || data === '' ? { reply: em.settings.blankTrackReply, problem: `track ${track} is blank` } : { reply: data };
}
