/**
 * The reply reader as a pure step function (research/evolis.md §1; our reading of a reply with no
 * documented terminator: the first NUL, CR or LF after text, or a quiet gap). Cut the input at
 * every length and the reply must not change (STYLE.md, after msgpackr tests/test-incomplete.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endOfReply, feedReply, initialReplyState, MAX_REPLY_BYTES, type ReplyState, type ReplyStep } from '../../../../src/drivers/printer/replyReader.js';

const bytes = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Feeds the chunks in order; the reply (or error code) and the rest, or the open state. */
function run(chunks: Uint8Array[]): { reply?: string; error?: string; rest?: string; open?: string } {
  let state: ReplyState = initialReplyState;
  for (const [i, c] of chunks.entries()) {
    const step: ReplyStep = feedReply(state, c);
    if (step.done) {
      const later = Buffer.concat([step.rest, ...chunks.slice(i + 1)]).toString('latin1');
      return 'error' in step ? { error: step.error.code, rest: later } : { reply: step.reply, rest: later };
    }
    state = step.state;
  }
  return { open: endOfReply(state) };
}

/** Every way of cutting `input` in two, and in single bytes. */
function cuts(input: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[input], Array.from(input, (b) => Uint8Array.of(b))];
  for (let i = 1; i < input.length; i++) out.push([input.subarray(0, i), input.subarray(i)]);
  return out;
}

describe('a reply ends at NUL, CR or LF (emulator / scripted replies; no real printer)', () => {
  it.each([
    ['OK\0', 'OK', ''],
    ['OK\r', 'OK', ''],
    ['OK\r\n', 'OK', '\n'],
    ['FEEDER EMPTY\n', 'FEEDER EMPTY', ''],
    // Padding NULs between frames (S10 captures) and a leading CR LF are skipped.
    ['\0\0\0OK\0', 'OK', ''],
    ['\r\nERROR CDE\r\n', 'ERROR CDE', '\n'],
    ['CONTACTLESS CARD\0OK\0', 'CONTACTLESS CARD', 'OK\0'],
  ])('%j -> %j, rest %j, cut anywhere', (input, reply, rest) => {
    for (const chunks of cuts(bytes(input))) expect(run(chunks)).toEqual({ reply, rest });
  });
});

describe('a reply without terminator ends at the quiet gap (emulator / scripted replies; no real printer)', () => {
  it('the text so far is the reply', () => {
    for (const chunks of cuts(bytes('Primacy'))) expect(run(chunks)).toEqual({ open: 'Primacy' });
  });

  it('padding alone is no reply', () => {
    expect(run([bytes('\0\r\n\0')])).toEqual({ open: undefined });
    expect(endOfReply(initialReplyState)).toBeUndefined();
  });
});

describe('property: any split gives the same reply (emulator / scripted replies; no real printer)', () => {
  it('text of printable ASCII, any terminator, any padding, any cut points', () => {
    const text = fc.stringMatching(/^[\x20-\x7e]{1,60}$/);
    fc.assert(
      fc.property(text, fc.constantFrom('\0', '\r', '\n'), fc.stringMatching(/^[\0\r\n]{0,4}$/), fc.array(fc.nat(), { maxLength: 6 }), (t, end, pad, points) => {
        const input = bytes(pad + t + end);
        const at = [...new Set(points.map((p) => p % (input.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...at].map((from, i, all) => input.subarray(from, all[i + 1] ?? input.length));
        expect(run(chunks)).toEqual({ reply: t, rest: '' });
      }),
      { numRuns: 300 },
    );
  });
});

describe('a stream that is no reply stops the reader (emulator / scripted replies; no real printer)', () => {
  it(`more than ${MAX_REPLY_BYTES} bytes without a terminator: UNEXPECTED_REPLY`, () => {
    expect(run([new Uint8Array(MAX_REPLY_BYTES).fill(0x41)])).toEqual({ open: 'A'.repeat(MAX_REPLY_BYTES) });
    expect(run([new Uint8Array(MAX_REPLY_BYTES).fill(0x41), bytes('B')])).toEqual({ error: 'UNEXPECTED_REPLY', rest: '' });
  });

  it('wrong-typed input: INVALID_ARGUMENT naming feedReply', () => {
    expect(() => feedReply(initialReplyState, 'OK' as unknown as Uint8Array)).toThrow(/feedReply: chunk/);
    expect(() => feedReply(null as unknown as ReplyState, bytes('OK'))).toThrow(/feedReply: state/);
  });
});
