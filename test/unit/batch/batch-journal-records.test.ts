/**
 * Issue 19 items 2, 4 and 22: every journal line is checked (schema, CRC-32, line number, its place
 * in the story) and a damaged one stops the batch with the file, the line and what to do; a whole
 * last record without its newline is kept; a failed append (ENOSPC) names the file and how to resume.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { Journal, JournalError, header, type JournalFs } from '../../../src/batch/journal.js';
import { formatLine } from '../../../src/batch/journalFormat.js';
import { BATCH_ARGS, batchDir, journalErrorOf } from '../../helpers/batchCli.js';
import { main } from '../../../src/cli/main.js';
import { fakeContext } from '../../helpers/cli.js';

const AT = '2026-12-03T10:00:00.000Z';
const SHA = 'ab'.repeat(32);
const begin = (order: number, uid: string) => ({ t: 'begin' as const, order, id: `o${order + 1}`, cardNumber: String(1000 + order), uid, at: AT });
const done = (order: number, uid: string) => ({ ...begin(order, uid), t: 'done' as const, ms: 5, operations: 40 });

/** A journal of a finished 2-order batch, as the batch writes it; returns its path and lines. */
function finished(): { path: string; lines: string[] } {
  const path = join(mkdtempSync(join(tmpdir(), 'hmsk-jrec-')), 'j.jsonl');
  const j = Journal.open(path);
  j.append(header(2, SHA, new Date(AT)));
  j.append(begin(0, 'f0000001'));
  j.append(done(0, 'f0000001'));
  j.append(begin(1, 'f0000002'));
  j.append(done(1, 'f0000002'));
  j.close();
  return { path, lines: readFileSync(path, 'utf8').split('\n').slice(0, -1) };
}

const openError = (path: string) => journalErrorOf(() => Journal.open(path).close());

describe('journal line format', () => {
  it('carries its line number and the CRC-32 of its text, as zlib computes it', () => {
    const { lines } = finished();
    lines.forEach((l, i) => {
      const m = /^(.*),"crc":"([0-9a-f]{8})"\}$/.exec(l)!;
      expect(m, l).not.toBeNull();
      // Oracle: node:zlib's crc32 (zlib's CRC-32/ISO-HDLC), independent of the `crc` package.
      expect(m[2]).toBe(zlibCrc32(Buffer.from(`${m[1]}}`)).toString(16).padStart(8, '0'));
      expect(JSON.parse(l).n).toBe(i + 1);
    });
  });
});

describe('a damaged line stops the batch with the file, the line and what to do', () => {
  // Each case edits the finished journal; the expected line and words come from the edit.
  const cases: Array<[string, (lines: string[]) => string[], number, RegExp]> = [
    ['"t":"dome" for "t":"done", checksum fixed up', (ls) => [...ls.slice(0, 2), formatLine(3, { ...done(0, 'f0000001'), t: 'dome' } as never), ...ls.slice(3)], 3, /unknown record type "dome"/],
    ['"t":"dome" edited by hand', (ls) => ls.map((l, i) => (i === 2 ? l.replace('"t":"done"', '"t":"dome"') : l)), 3, /fails its checksum/],
    ['a field missing', (ls) => [...ls.slice(0, 3), formatLine(4, { t: 'begin', order: 1, id: 'o2', uid: 'f0000002', at: AT } as never), ls[4]], 4, /lacks the field "cardNumber"/],
    ['a wrong type', (ls) => [...ls.slice(0, 3), formatLine(4, { ...begin(1, 'f0000002'), order: '1' } as never), ls[4]], 4, /bad "order": "1"/],
    ['an unknown field', (ls) => [...ls.slice(0, 3), formatLine(4, { ...begin(1, 'f0000002'), extra: 1 } as never), ls[4]], 4, /unknown field "extra"/],
    ['line 1 (the header) deleted', (ls) => ls.slice(1), 1, /numbered 2, expected 1/],
    ['line 1 deleted and the rest renumbered', (ls) => ls.slice(1).map((l, i) => formatLine(i + 1, strip(l))), 1, /header line was lost/],
    ['a middle line deleted', (ls) => [...ls.slice(0, 2), ...ls.slice(3)], 3, /numbered 4, expected 3/],
    ['a done without its begin', (ls) => [ls[0], ls[1], ls[2], formatLine(4, done(1, 'f0000002'))], 4, /not begun on that card/],
    ['an order begun twice', (ls) => [...ls.slice(0, 3), formatLine(4, begin(0, 'f0000009'))], 4, /already done on card f0000001/],
    ['an order beyond the batch', (ls) => [...ls.slice(0, 3), formatLine(4, begin(7, 'f0000002'))], 4, /order #8 of a batch of 2/],
    ['binary garbage', (ls) => [ls[0], '\u0000\u0001\u001b[31mgarbage'], 2, /is not JSON: "\\u0000\\u0001\\u001b\[31mgarbage"/],
  ];
  for (const [name, edit, line, words] of cases) {
    it(name, () => {
      const { path, lines } = finished();
      writeFileSync(path, edit(lines).join('\n') + '\n');
      const e = openError(path);
      expect(e.code).toBe('JOURNAL_DAMAGED');
      expect(e.where).toEqual({ file: path, line });
      expect(e.message).toContain(`journal ${path} line ${line} `);
      expect(e.message).toMatch(words);
      expect(e.message).toMatch(/Restore the journal from a copy/);
      expect(e.message).not.toMatch(/[\u0000-\u001f]/);
    });
  }

  it('the undamaged journal opens (the cases above are the only difference)', () => {
    const { path } = finished();
    const j = Journal.open(path);
    expect([...j.state.done]).toEqual([[0, 'f0000001'], [1, 'f0000002']]);
    j.close();
  });
});

/** The record of a format-2 line without `n` and `crc`. */
function strip(line: string) {
  const { n: _n, crc: _crc, ...rest } = JSON.parse(line);
  return rest;
}

describe('journals of format 1 (hmskort 0.1.0, no checksums) are still read', () => {
  it('replays them with the schema checks, and appends format-2 lines', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hmsk-jrec-')), 'j.jsonl');
    const v1 = [{ t: 'batch', orders: 2, ordersSha256: SHA, at: AT }, begin(0, 'f0000001'), done(0, 'f0000001')];
    writeFileSync(path, v1.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const j = Journal.open(path);
    expect([...j.state.done]).toEqual([[0, 'f0000001']]);
    j.append(begin(1, 'f0000002'));
    j.close();
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[3])).toMatchObject({ n: 4, t: 'begin', crc: expect.stringMatching(/^[0-9a-f]{8}$/) });
    writeFileSync(path, readFileSync(path, 'utf8').replace('"t":"done"', '"t":"dome"'));
    expect(openError(path).message).toMatch(/line 3 has an unknown record type "dome"/);
  });
});

describe('the last line (issue 19 item 2)', () => {
  it('a whole record without its final newline is kept and the newline added', () => {
    const { path } = finished();
    const full = readFileSync(path);
    writeFileSync(path, full.subarray(0, full.length - 1)); // truncate -s -1
    const j = Journal.open(path);
    expect(j.repair).toEqual({ kind: 'completed' });
    expect([...j.state.done]).toEqual([[0, 'f0000001'], [1, 'f0000002']]);
    expect(j.state.pending).toBeUndefined();
    j.close();
    expect(readFileSync(path)).toEqual(full);
  });

  it('the same for a format-1 journal (no checksum to vouch for it: the schema does)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hmsk-jrec-')), 'j.jsonl');
    writeFileSync(path, [{ t: 'batch', orders: 1, ordersSha256: SHA, at: AT }, begin(0, 'f0000001'), done(0, 'f0000001')].map((e) => JSON.stringify(e)).join('\n'));
    const j = Journal.open(path);
    expect(j.repair.kind).toBe('completed');
    expect(j.state.done.size).toBe(1);
    j.close();
  });

  it('an unfinished line is cut, and the repair says how many bytes and what', () => {
    const { path } = finished();
    const full = readFileSync(path);
    const lastStart = full.subarray(0, full.length - 1).lastIndexOf(0x0a) + 1;
    for (const cut of [1, 2, 10, full.length - lastStart - 2]) {
      writeFileSync(path, full.subarray(0, full.length - 1 - cut));
      const j = Journal.open(path);
      const kept = full.length - 1 - cut - lastStart;
      expect(j.repair).toEqual({ kind: 'cut', bytes: kept, text: full.subarray(lastStart, lastStart + kept).toString() });
      expect(j.state.pending).toEqual({ order: 1, uid: 'f0000002' });
      j.close();
      expect(readFileSync(path)).toEqual(full.subarray(0, lastStart));
    }
  });
});

describe('a failed append (issue 19 item 22)', () => {
  /** node:fs whose writes fail with ENOSPC after `room` more bytes, as a full disk does. */
  function fullDisk(room: number): JournalFs {
    return {
      ...fs,
      writeSync: ((fd: number, buf: Buffer, off?: number, len?: number) => {
        if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
        const from = off ?? 0;
        const n = fs.writeSync(fd, buf, from, Math.min(len ?? buf.length - from, room));
        room -= n;
        return n;
      }) as JournalFs['writeSync'],
    };
  }

  it('names the journal and how to resume, and leaves only whole lines', () => {
    const { path } = finished();
    const before = readFileSync(path);
    // Three lines written before the disk fills: the new begin is cut off after 40 bytes.
    const j = Journal.open(path, { fs: fullDisk(40) });
    let err: JournalError | undefined;
    try {
      j.append({ ...begin(1, 'f0000003'), order: 1 });
    } catch (e) {
      err = e as JournalError;
    }
    j.close();
    expect(err?.code).toBe('JOURNAL_WRITE');
    expect(err?.message).toContain(`journal ${path}: could not write the 'begin' line of order o2 (ENOSPC: no space left on device, write)`);
    expect(err?.message).toMatch(/Nothing was written to card f0000003\. Free space .* run the same command again: it resumes/);
    expect(readFileSync(path)).toEqual(before);
  });

  it('a done that cannot be written says the card is encoded and the order is finished on it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hmsk-jrec-')), 'j.jsonl');
    const j0 = Journal.open(path);
    j0.append(header(1, SHA, new Date(AT)));
    j0.append(begin(0, 'f0000001'));
    j0.close();
    const j = Journal.open(path, { fs: fullDisk(0) });
    expect(() => j.append(done(0, 'f0000001'))).toThrow(/Card f0000001 is encoded but not yet recorded: leave it on the reader .* finishes order o1 on that card/);
    j.close();
    const k = Journal.open(path);
    expect(k.state.pending).toEqual({ order: 0, uid: 'f0000001' });
    k.close();
  });
});

describe('hmskort batch on a damaged journal', () => {
  it('stops before any card: exit 3, the file and line on stderr, the order not encoded again', async () => {
    const dir = batchDir(2);
    expect(await main(BATCH_ARGS, fakeContext({ cwd: dir }))).toBe(0);
    const path = join(dir, 'j.jsonl');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"t":"done"', '"t":"dome"'));
    const ctx = fakeContext({ cwd: dir });
    expect(await main(BATCH_ARGS, ctx)).toBe(3);
    expect(ctx.err()).toMatch(new RegExp(`^hmskort batch: journal ${path} line 3 fails its checksum`));
    expect(ctx.out()).toBe('');
    expect(readdirSync(join(dir, 'j.jsonl.cards/tray'))).toHaveLength(2);
  });
});
