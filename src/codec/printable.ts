/**
 * Input text fit to be shown inside an error message on a terminal (issue 19 item 23: binary
 * garbage from a bad JSON or CSV file was echoed as is, escape sequences included).
 *
 * Letters, digits, punctuation, symbols and the space of any script are kept (an error about
 * "Ærlig Hansen" shows the name); everything else is escaped: the C0 and C1 controls and DEL
 * (ESC starts terminal escape sequences, and 0x9B is CSI on terminals that take 8-bit controls:
 * ECMA-48 section 5.3), format characters such as the bidirectional overrides U+202A-U+202E and
 * U+2066-U+2069 (which reorder what follows them: Unicode TR #9), unassigned code points, lone
 * surrogates, other separators, and U+FFFD, which is what a non-UTF-8 byte decodes to: seeing
 * \ufffd says "binary". What is shown is cut at `max` characters (escapes counted as written),
 * marked with an ellipsis.
 */

const SHOWN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function escapeChar(c: number): string {
  if (c === 0x0a) return '\\n';
  if (c === 0x0d) return '\\r';
  if (c === 0x09) return '\\t';
  if (c <= 0xff) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\u{${c.toString(16)}}`;
}

function shown(text: string, max: number, quote: boolean): string {
  let out = '';
  for (const ch of String(text)) {
    const c = ch.codePointAt(0)!;
    const piece = quote && (ch === '"' || ch === '\\') ? `\\${ch}` : c !== 0xfffd && SHOWN.test(ch) ? ch : escapeChar(c);
    // Cut on what is shown: ten escaped bytes take forty characters.
    if (out.length + piece.length > max) return out + (quote ? '"…' : '…');
    out += piece;
  }
  return quote ? out + '"' : out;
}

/** `text` with every character that is not safe to print escaped, at most `max` characters of it. */
export function printable(text: string, max = 60): string {
  return shown(text, max, false);
}

/** `text` in double quotes (its own `"` and `\` escaped too), made printable and cut as printable() does. */
export function quoteExcerpt(text: string, max = 60): string {
  return '"' + shown(text, max, true);
}
