/**
 * Keyboard-wedge swipe readers type the decoded tracks as text, one swipe per line:
 * `%<track 1>?;<track 2>?;<track 3>?` then Enter. Conventions met in the field (MagTek and ID TECH
 * keyboard readers): `E` as a track's whole content for a track that failed (`%E?`, `;E?`), `+`
 * instead of `;` as track 3's start sentinel. Text is parsed by a pure step function
 * `feed(state, text)`, so a stream of key events can be cut anywhere.
 */
import type { Swipe, SwipeTrack } from './swipe.js';
import { needString, needObject } from '../../codec/guard.js';

export interface WedgeState {
  readonly line: string;
}

export const initialWedgeState: WedgeState = { line: '' };

/** Parses one line (without the line end) into a swipe; text outside the tracks is ignored. */
export function parseWedgeLine(line: string): Swipe {
  needString('parseWedgeLine', 'line', line);
  const tracks: SwipeTrack[] = [{ status: 'absent' }, { status: 'absent' }, { status: 'absent' }];
  let semicolons = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c !== '%' && c !== ';' && c !== '+') continue;
    const end = line.indexOf('?', i + 1);
    if (end < 0) break;
    const n = c === '%' ? 0 : c === '+' ? 2 : semicolons++ === 0 ? 1 : 2;
    const body = line.slice(i + 1, end);
    // A track sentinel after '+' is written back as ';', the ISO start sentinel of track 3.
    tracks[n] = body === 'E' ? { status: 'failed' } : { status: 'ok', data: (c === '+' ? ';' : c) + body + '?' };
    i = end;
  }
  return { tracks: tracks as Swipe['tracks'] };
}

/** Feeds typed text; returns the swipes completed by a line end (CR, LF or CRLF). */
export function feedWedge(state: WedgeState, text: string): { state: WedgeState; swipes: Swipe[] } {
  needObject('feedWedge', 'state', state);
  needString('feedWedge', 'text', text);
  const swipes: Swipe[] = [];
  let line = state.line;
  for (const ch of text) {
    if (ch === '\r' || ch === '\n') {
      if (line !== '') swipes.push(parseWedgeLine(line));
      line = '';
    } else line += ch;
  }
  return { state: { line }, swipes };
}
