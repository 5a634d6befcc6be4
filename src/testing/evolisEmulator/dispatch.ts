/**
 * One command carried out by the emulator: injected errors first, then a standing condition, then
 * the command itself. Sources next to each rule (evolis.md; S1 = A5013 rev. E).
 */
import type { EvolisFrame } from './frames.js';
import type { EvolisEmulator } from './emulator.js';
import { actsOnCard, PRINTER_ERRORS, type Injections } from './faults.js';
import { isTrackFormat, trackDataProblem } from './magstripe.js';
import { readCommand, trackReply } from './reads.js';
import { decompressMonoLines } from './panels.js';
import type { PrintedPanel } from './machine.js';

type Result = { reply: string; problem?: string };
const OK: Result = { reply: 'OK' };
const bad = (problem: string): Result => ({ reply: PRINTER_ERRORS.badParameter, problem });

/** Commands that take a blank from the feeder when no card is inside (machine.ts). */
const TAKES_CARD = /^(Si|Sib|Sic|Sis|Sie|Smw|Smr|Db|Dbc)$/;

export async function runCommand(em: EvolisEmulator, frame: EvolisFrame, injections: Injections): Promise<Result> {
  const m = em.machine;
  const { command: cmd, params } = frame;
  const inj = injections.take(cmd, 'error');
  if (inj) {
    // The printer's words instead of the work; the card is left where the failure stopped it.
    if (inj.error === PRINTER_ERRORS.cardJam) {
      if (TAKES_CARD.test(cmd)) m.take(); // the jam happens on the way from the feeder
      await m.jam(inj.clears ?? 'operator');
    } else if (inj.error.startsWith('ERROR MAG') && (cmd === 'Smw' || cmd === 'Smr')) {
      if (!m.take()) await m.moveTo('print', cmd); // through the magnetic head, then stopped
    }
    return { reply: inj.error, problem: `injected at ${cmd}` };
  }
  // A standing condition refuses every card command; `Scp` (cleaning) is what clears NEED CLEANING.
  if (m.condition && actsOnCard(cmd) && !(cmd === 'Scp' && m.condition === PRINTER_ERRORS.needCleaning)) return { reply: m.condition, problem: 'standing condition' };
  if (cmd.startsWith('R')) return readCommand(em, frame);
  switch (cmd) {
    case 'Si':
    case 'Sib':
      return { reply: await m.insert('print', cmd) };
    case 'Sic':
      return { reply: await m.insert('contactless', cmd) };
    case 'Sis':
      return { reply: await m.insert('contact', cmd) };
    case 'Sie': {
      const reply = await m.insert('print', cmd);
      if (reply === 'OK') await m.leave('output');
      return { reply };
    }
    case 'Se':
      await m.leave('output');
      return OK;
    case 'Ser':
    case 'Seb':
      await m.leave('reject');
      return OK;
    case 'Ss':
    case 'Sr':
      m.job.side = 'front';
      return OK;
    case 'Sv':
      if (!em.settings.flip) return { reply: PRINTER_ERRORS.notAvailable, problem: 'no flip-over module (S1 p.40-45; S3 hasFlip)' };
      m.job.side = 'back';
      return OK;
    case 'Scp':
      if (m.condition === PRINTER_ERRORS.needCleaning) m.condition = undefined;
      return OK;
    case 'Srs':
      m.job.side = 'front';
      return OK;
    case 'Db':
    case 'Dbc':
      return download(em, frame);
    case 'Pem':
      m.job.errorManagement = params[0] ?? '0';
      return OK;
    case 'Pmc':
      if (!/^[hlpa]$/.test(params[0] ?? '')) return bad(`coercivity ${JSON.stringify(params[0])} is not h, l, p or a (S1 p.48-55; S3)`);
      m.job.coercivity = params[0];
      return OK;
    case 'Pmt': {
      const t = Number(params[0]);
      if (![1, 2, 3].includes(t) || !isTrackFormat(params[1] ?? '')) return bad(`Pmt;${params.join(';')}: track 1..3 and format 1..6 or C1/C2/C4 (S1 p.51)`);
      m.job.formats[t as 1 | 2 | 3] = params[1];
      return OK;
    }
    case 'Dm': {
      const t = Number(params[0]);
      if (![1, 2, 3].includes(t)) return bad(`Dm track ${JSON.stringify(params[0])} is not 1, 2 or 3 (S1 p.49)`);
      const data = params.slice(1).join(';'); // ';' is a track 1 character (S12)
      const problem = trackDataProblem(m.job.formats[t as 1 | 2 | 3], data);
      if (problem) return { reply: PRINTER_ERRORS.magData, problem };
      m.job.downloaded[t as 1 | 2 | 3] = data;
      return OK;
    }
    case 'Smw':
      return writeStripe(em, injections);
    case 'Smr': {
      const failed = m.take();
      if (failed) return { reply: failed };
      await m.moveTo('print', cmd);
      return trackReply(em, params[0]);
    }
  }
  return OK; // a documented parameter or write command: recorded in the transcript
}

/** `Smw`: the downloaded tracks onto the card; "the written data are automatically checked" (S11). */
async function writeStripe(em: EvolisEmulator, injections: Injections): Promise<Result> {
  const m = em.machine;
  const failed = m.take();
  if (failed) return { reply: failed };
  await m.moveTo('print', 'Smw');
  const card = m.card!;
  const corrupt = injections.take('Smw', 'corruptTrack');
  for (const t of [1, 2, 3] as const) {
    const data = m.job.downloaded[t];
    if (data === undefined) continue;
    // A wrong bit on the stripe: the last character read back differs (a verify failure).
    card.tracks[t] = corrupt?.corruptTrack === t && data !== '' ? data.slice(0, -1) + (data.endsWith('1') ? '2' : '1') : data;
  }
  card.coercivity = m.job.coercivity;
  m.job.downloaded = {};
  return OK;
}

/** `Db` / `Dbc`: the panel is printed on the card's current side (S1 p.14-15, p.44, p.69). */
async function download(em: EvolisEmulator, frame: EvolisFrame): Promise<Result> {
  const m = em.machine;
  const [panel, levelsText] = frame.params;
  if (!/^[ymcko]$/.test(panel ?? '')) return bad(`panel ${JSON.stringify(panel)} is not y, m, c, k or o (S1 p.14)`);
  const levels = Number(levelsText);
  if (![2, 32, 64, 128].includes(levels)) return bad(`levels ${JSON.stringify(levelsText)} is not 2, 32, 64 or 128 (S1 p.14)`);
  const failed = m.take();
  if (failed) return { reply: failed };
  await m.moveTo('print', frame.command);
  const payload = frame.payload ?? new Uint8Array(0);
  let recorded: PrintedPanel;
  const base = { side: m.job.side, panel, levels, offset: frame.offset };
  if (frame.command === 'Db') recorded = { ...base, bitmap: payload.slice() };
  else if (levels !== 2) recorded = { ...base, problem: 'compressed colour (S1 p.5) is not decoded' };
  else {
    // p.15 form: Dbc;panel;resol;first_line;nb_car (frames.ts tells the forms apart).
    const firstLine = frame.params.length === 4 ? Number(frame.params[2]) : 0;
    const { bitmap, problem } = decompressMonoLines(payload, firstLine);
    if (problem) return bad(problem);
    recorded = { ...base, bitmap };
  }
  m.card!.panels.push(recorded);
  return recorded.problem ? { reply: 'OK', problem: recorded.problem } : OK;
}

