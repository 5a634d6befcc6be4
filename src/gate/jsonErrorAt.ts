/**
 * Where a JSON text (RFC 8259) stops being valid: Node 20's JSON.parse messages do not always give
 * a position ("Unexpected token ']', ...") and an operator editing a policy file needs the line.
 * A small recursive-descent syntax check, for configuration files only (not a hot path).
 */

/** Offset of the first syntax error in `t`, or -1 when it is valid JSON. */
export function jsonErrorAt(t: string): number {
  let p = 0;
  class Stop extends Error {}
  const fail = (): never => {
    throw new Stop();
  };
  const ws = () => {
    while (p < t.length && ' \t\r\n'.includes(t[p])) p++;
  };
  const lit = (w: string) => {
    if (t.startsWith(w, p)) p += w.length;
    else fail();
  };
  const str = () => {
    if (t[p] !== '"') fail();
    p++;
    while (p < t.length && t[p] !== '"') {
      if (t.charCodeAt(p) < 0x20) fail();
      if (t[p] === '\\') {
        p++;
        if (t[p] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(p + 1, p + 5))) fail();
          p += 4;
        } else if (!'"\\/bfnrt'.includes(t[p] ?? 'x')) fail();
      }
      p++;
    }
    if (p >= t.length) fail();
    p++;
  };
  const value = (): void => {
    ws();
    const c = t[p];
    if (c === '{') {
      p++;
      ws();
      if (t[p] === '}') return void p++;
      for (;;) {
        ws();
        str();
        ws();
        lit(':');
        value();
        ws();
        if (t[p] === ',') p++;
        else return lit('}');
      }
    }
    if (c === '[') {
      p++;
      ws();
      if (t[p] === ']') return void p++;
      for (;;) {
        value();
        ws();
        if (t[p] === ',') p++;
        else return lit(']');
      }
    }
    if (c === '"') return str();
    if (c === 't') return lit('true');
    if (c === 'f') return lit('false');
    if (c === 'n') return lit('null');
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(t.slice(p, p + 400));
    if (!m) fail();
    p += m![0].length;
  };
  try {
    value();
    ws();
    return p === t.length ? -1 : p;
  } catch (e) {
    if (e instanceof Stop) return p;
    throw e;
  }
}

/** 1-based line of offset `at` in `t`, or undefined when `at` is -1 (not found). */
function lineOf(t: string, at: number): number | undefined {
  return at >= 0 ? t.slice(0, at).split('\n').length : undefined;
}

/** The line where `t` stops being valid JSON (for a JSON.parse failure), when it can be found. */
export function jsonErrorLine(t: string): number | undefined {
  return lineOf(t, jsonErrorAt(t));
}

