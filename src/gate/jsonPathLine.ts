/**
 * The line of a value inside a JSON text (RFC 8259) by its path (`["hiredWorkers", 2, "cardNumbers", 0]`),
 * so a mistake in a site configuration or gate policy file is reported where the operator fixes it,
 * not at the first text that looks like its key. For text JSON.parse already accepted
 * (configuration files only, not a hot path): a walk over strings, numbers and literals that keeps
 * offsets, as src/gate/jsonErrorAt.ts does for the syntax check. No maintained package in our tree gives offsets (JSON.parse does not).
 */

/**
 * 1-based line of the value at `path` in the valid JSON text `t`; when the path ends in a key that
 * is not there (a missing field), the line of the nearest value on the path that is; undefined
 * when not even the first step is there.
 */
export function jsonPathLine(t: string, path: readonly (string | number)[]): number | undefined {
  for (let n = path.length; n > 0; n--) {
    const line = lineOfPath(t, path.slice(0, n));
    if (line !== undefined) return line;
  }
  return undefined;
}

function lineOfPath(t: string, path: readonly (string | number)[]): number | undefined {
  let p = 0;
  const ws = () => {
    while (p < t.length && ' \t\r\n'.includes(t[p])) p++;
  };
  // Past a string starting at p; returns its decoded value (JSON.parse of the slice: the text is valid).
  const str = (): string => {
    const start = p++;
    while (t[p] !== '"') p += t[p] === '\\' ? 2 : 1;
    p++;
    return JSON.parse(t.slice(start, p)) as string;
  };
  const skip = (): void => {
    ws();
    const c = t[p];
    if (c === '"') return void str();
    if (c === '{' || c === '[') {
      p++;
      for (;;) {
        ws();
        if (t[p] === '}' || t[p] === ']') return void p++;
        if (t[p] === ',') p++;
        ws();
        if (c === '{') {
          str();
          ws();
          p++; // ':'
        }
        skip();
      }
    }
    while (p < t.length && !',}] \t\r\n'.includes(t[p])) p++;
  };
  // Offset of the value at path[depth..] starting at p.
  const find = (depth: number): number | undefined => {
    ws();
    if (depth === path.length) return p;
    const want = path[depth];
    const c = t[p];
    if ((c === '{' && typeof want === 'string') || (c === '[' && typeof want === 'number')) {
      p++;
      for (let i = 0; ; i++) {
        ws();
        if (t[p] === '}' || t[p] === ']') return undefined;
        if (t[p] === ',') p++;
        ws();
        let key: string | number = i;
        if (c === '{') {
          key = str();
          ws();
          p++; // ':'
        }
        if (key === want) return find(depth + 1);
        skip();
      }
    }
    return undefined;
  };
  const at = find(0);
  return at === undefined ? undefined : t.slice(0, at).split('\n').length;
}
