#!/usr/bin/env node
/**
 * Turns the shared test vectors (spec section 8) into C data for the C test suite:
 *   node tools/vectors2c.mjs > tests/vectors_data.c      (run from firmware-bridge/; `make` does it)
 * Reads ../test-vectors/*.json and ../../shared/spec/examples.json (the spec's examples, beside the
 * repo as CI clones it). Takes kinds decode-gate, decode-record, gate, track-decode; every other kind,
 * and any vector whose input the C API cannot express, is skipped with a comment naming why, so new
 * vector files never break the build. Output is deterministic (files by name, vectors in file order).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = resolve(import.meta.dirname, '..');
const files = [];
const vecDir = join(here, '..', 'test-vectors');
if (existsSync(vecDir)) for (const f of readdirSync(vecDir).filter((f) => f.endsWith('.json')).sort()) files.push(['test-vectors/' + f, join(vecDir, f)]);
const examples = join(here, '..', '..', 'shared', 'spec', 'examples.json');
if (existsSync(examples)) files.push(['shared/spec/examples.json', examples]);

const out = [];
const skipped = [];
const decode = [];
const gate = [];
const track = [];
let n = 0;

/** C string literal of a JS string's UTF-8 bytes (octal escapes keep it ASCII and unambiguous). */
function cstr(s) {
  if (s === undefined || s === null) return 'NULL';
  let r = '"';
  for (const b of Buffer.from(String(s), 'utf8')) {
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f) r += String.fromCharCode(b);
    else r += '\\' + b.toString(8).padStart(3, '0');
  }
  return r + '"';
}

function bytes(hex) {
  if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('input is not hex');
  const name = `in_${n}`;
  const b = Buffer.from(hex, 'hex');
  out.push(`static const uint8_t ${name}[] = {${b.length ? [...b].map((x) => '0x' + x.toString(16).padStart(2, '0')).join(',') : '0'}};`);
  return [name, b.length];
}

const str = (v) => (typeof v === 'string' ? v : v === undefined ? undefined : String(v));
const STATUS = { lost: 1, stolen: 2, blocked: 3, destroyed: 4 };
const CATEGORY_BIT = { construction: 1 << 1, cleaning: 1 << 2 };

function decodeVector(v, file) {
  const record = v.kind === 'decode-record';
  const [name, len] = bytes(record ? v.input.record : v.input.gateBlock);
  const e = v.expect ?? {};
  const h = e.holder ?? {};
  if (!e.error && !e.holder) throw new Error('expect has neither holder nor error');
  const f = [cstr(`${file}: ${v.id}`), record ? 1 : 0, name, len, cstr(e.error)];
  f.push(cstr(h.category), cstr(str(h.cardNumber)), cstr(str(h.orgNumber)), cstr(h.expiry), Number.isInteger(h.issue) ? h.issue : e.error ? 0 : -1);
  if (record && !e.error) f.push(cstr(h.birthDate), cstr(h.gender), cstr(h.givenName), cstr(h.familyName), cstr(h.orgName), h.signed ? 1 : 0, h.truncated ? 1 : 0);
  else f.push('NULL', 'NULL', 'NULL', 'NULL', 'NULL', 0, 0);
  decode.push(`    {${f.join(', ')}},`);
}

function gateVector(v, file) {
  const i = v.input;
  const [name, len] = bytes(i.gateBlock);
  const now = Date.parse(i.now);
  if (!Number.isFinite(now)) throw new Error(`now ${i.now} is not an ISO 8601 instant`);
  const hot = (i.hotlist ?? []).map((e) => {
    // Card numbers compare by value (section 7): any number of leading zeros is fine.
    if (!/^[0-9]+$/.test(String(e.cardNumber))) throw new Error(`hot-list card number ${e.cardNumber}`);
    const value = BigInt(e.cardNumber);
    if (value > 999999999999n) throw new Error(`hot-list card number ${e.cardNumber} above the format's range`);
    const hasMin = e.minIssue !== undefined && e.minIssue !== null;
    if (hasMin && (!Number.isInteger(e.minIssue) || e.minIssue < 0 || e.minIssue > 0xfffe)) throw new Error(`minIssue ${e.minIssue}`);
    return `{${value}ULL, ${hasMin ? e.minIssue : '0xFFFF'}, ${STATUS[e.status] ?? 0}}`;
  });
  let hotName = 'NULL';
  if (hot.length) {
    hotName = `hot_${n}`;
    out.push(`static const struct hot_vector_entry ${hotName}[] = {${hot.join(', ')}};`);
  }
  const p = i.policy ?? {};
  let mask = 0;
  if (Array.isArray(p.allowedCategories)) {
    mask = 1;
    for (const c of p.allowedCategories) mask |= CATEGORY_BIT[c] ?? 0;
  }
  let orgs = 'NULL';
  let orgCount = 0;
  if (Array.isArray(p.allowedOrgs)) {
    const vals = p.allowedOrgs.map((o) => {
      if (!/^[0-9]{1,9}$/.test(String(o))) throw new Error(`allowed org ${o}`);
      return Number(o);
    });
    vals.sort((a, b) => a - b);
    orgs = `orgs_${n}`;
    out.push(`static const uint32_t ${orgs}[] = {${vals.length ? vals.map((x) => x + 'u').join(', ') : '0'}};`);
    orgCount = vals.length;
  }
  const e = v.expect;
  if (typeof e.allow !== 'boolean' || typeof e.reason !== 'string') throw new Error('expect has no allow/reason');
  gate.push(`    {${[cstr(`${file}: ${v.id}`), name, len, `${Math.floor(now / 1000)}LL`, hotName, hot.length, mask, orgs, orgCount, e.allow ? 1 : 0, cstr(e.reason), cstr(e.error)].join(', ')}},`);
}

function trackVector(v, file) {
  const i = v.input;
  if (i.track !== 1 && i.track !== 2) throw new Error(`track ${i.track}`);
  if (typeof i.data !== 'string') throw new Error('data is not a string');
  const e = v.expect ?? {};
  const fl = e.fields ?? {};
  if (!e.error && !e.fields) throw new Error('expect has neither fields nor error');
  const f = [cstr(`${file}: ${v.id}`), i.track, cstr(i.data), Buffer.byteLength(i.data, 'utf8'), cstr(e.error)];
  f.push(cstr(str(fl.orgNumber)), cstr(str(fl.cardNumber)), cstr(fl.expiry), cstr(fl.category), cstr(fl.name), Number.isInteger(fl.issue) ? fl.issue : -1);
  track.push(`    {${f.join(', ')}},`);
}

const HANDLERS = { 'decode-gate': decodeVector, 'decode-record': decodeVector, gate: gateVector, 'track-decode': trackVector };
for (const [label, path] of files) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    skipped.push(`${label}: not JSON (${err.message})`);
    continue;
  }
  for (const v of Array.isArray(doc?.vectors) ? doc.vectors : []) {
    const h = HANDLERS[v?.kind];
    if (!h) continue; // kinds the C library does not implement (encode, card, kdf, ...)
    n++;
    const mark = [out.length, decode.length, gate.length, track.length];
    try {
      h(v, label);
    } catch (err) {
      // Undo whatever this vector emitted before it failed (no unused arrays in the C file).
      out.length = mark[0];
      decode.length = mark[1];
      gate.length = mark[2];
      track.length = mark[3];
      skipped.push(`${label}: ${v.id}: ${err.message}`);
    }
  }
}

const list = (rows) => (rows.length ? rows.join('\n') : '    {0}');
process.stdout.write(`/* Generated by tools/vectors2c.mjs from ${files.map((f) => f[0]).join(', ')}. Do not edit. */
#include "vectors.h"
/* Skipped (${skipped.length}):${skipped.map((s) => `\n *   ${s.replace(/\*\//g, '* /')}`).join('')}
 */
${out.join('\n')}

const struct decode_vector decode_vectors[] = {
${list(decode)}
};
const size_t decode_vector_count = ${decode.length};

const struct gate_vector gate_vectors[] = {
${list(gate)}
};
const size_t gate_vector_count = ${gate.length};

const struct track_vector track_vectors[] = {
${list(track)}
};
const size_t track_vector_count = ${track.length};
const size_t skipped_vector_count = ${skipped.length};
`);
