/**
 * Bridge messages (firmware-bridge/PROTOCOL.md): payload = type (1) | seq (1) | body, integers
 * big-endian. Pure encode/decode, byte-identical to hmsk_msg_encode/hmsk_msg_decode in
 * firmware-bridge/src/bridge.c.
 *
 *   0x01 card       reader->host  uidLen (4/7/10) | uid | gate block (16)
 *   0x02 decision   host->reader  allow (0/1) | reason | error     (seq echoes the card's)
 *   0x03 hotlist    host->reader  version (4) | count | count x (op | card (5) | status | minIssue (2))
 *   0x04 heartbeat  both          uptimeMs (4) | hotlistVersion (4) | hotlistCount (2) | badFrames (2)
 *   0x05 error      both          code | detail
 */
import { BridgeError } from './errors.js';
import { needBytes, needObject } from '../codec/guard.js';
import { MAX_CARD_NUMBER as MAX_CARD } from '../codec/recordLayout.js';
import { HOTLIST_STATUSES } from '../codec/hotlistEntry.js';

export const MSG_CARD = 0x01;
export const MSG_DECISION = 0x02;
export const MSG_HOTLIST = 0x03;
export const MSG_HEARTBEAT = 0x04;
export const MSG_ERROR = 0x05;

/** Reasons of spec section 7, in wire order (hmsk_reason in hmsk.h). */
export const WIRE_REASONS = ['ok', 'invalid', 'voided', 'hotlisted', 'category-not-allowed', 'org-not-allowed', 'expired'] as const;
export type WireReason = (typeof WIRE_REASONS)[number];
/** Spec error codes in wire order (hmsk_err in hmsk.h); index 0 = none. */
export const WIRE_ERRORS = [null, 'BAD_LENGTH', 'BLANK', 'UNKNOWN_FORMAT', 'UNSUPPORTED_VERSION', 'BAD_CRC', 'BAD_FIELD', 'BAD_LRC', 'BAD_PARITY', 'BAD_FORMAT', 'BAD_CHECK_DIGIT'] as const;
export type WireError = Exclude<(typeof WIRE_ERRORS)[number], null>;
// The wire's status numbers 1-4 are section 7's statuses in the spec's order (enum hmsk_hot_status).
export const HOT_STATUSES = [null, ...HOTLIST_STATUSES] as const;
export type HotStatus = Exclude<(typeof HOT_STATUSES)[number], null>;
/** Link error codes (enum hmsk_link_error). */
export const LINK_ERRORS = [null, 'BAD_FRAME', 'UNKNOWN_TYPE', 'BAD_MESSAGE', 'HOTLIST_FULL', 'DECODE', 'HOTLIST_GAP'] as const;
export type LinkErrorCode = Exclude<(typeof LINK_ERRORS)[number], null>;

/** Largest payload a reader built with the default HMSK_BRIDGE_MAX_PAYLOAD accepts. */
export const MAX_PAYLOAD = 128;
export const MAX_DELTA_ITEMS = Math.floor((MAX_PAYLOAD - 7) / 9);

export interface HotlistItem {
  op: 'put' | 'remove';
  /** Decimal, no leading zeros needed: compared by value. */
  cardNumber: string;
  /** For `put`. */
  status?: HotStatus;
  /** For `put`: issues >= minIssue pass; absent = every issue is hot. */
  minIssue?: number;
}

export type BridgeMessage =
  | { type: 'card'; seq: number; uid: Uint8Array; gateBlock: Uint8Array }
  | { type: 'decision'; seq: number; allow: boolean; reason: WireReason; error: WireError | null }
  | { type: 'hotlist'; seq: number; version: number; items: HotlistItem[] }
  | { type: 'heartbeat'; seq: number; uptimeMs: number; hotlistVersion: number; hotlistCount: number; badFrames: number }
  | { type: 'error'; seq: number; code: LinkErrorCode; detail: number };

const bad = (message: string, offset?: number) => new BridgeError('BAD_MESSAGE', message, { offset });

function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
const u16ok = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffff;
const u32ok = (v: number) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

export function encodeMessage(m: BridgeMessage): Uint8Array {
  needObject('encodeMessage', 'message', m);
  if (!Number.isInteger(m.seq) || m.seq < 0 || m.seq > 255) throw bad(`seq ${m.seq} is not a byte`);
  let body: Uint8Array;
  switch (m.type) {
    case 'card':
      if (![4, 7, 10].includes(m.uid.length)) throw bad(`UID of ${m.uid.length} bytes (4, 7 or 10)`);
      if (m.gateBlock.length !== 16) throw bad(`gate block of ${m.gateBlock.length} bytes`);
      body = new Uint8Array(1 + m.uid.length + 16);
      body[0] = m.uid.length;
      body.set(m.uid, 1);
      body.set(m.gateBlock, 1 + m.uid.length);
      break;
    case 'decision': {
      const reason = WIRE_REASONS.indexOf(m.reason);
      if (reason < 0 || m.allow !== (m.reason === 'ok')) throw bad(`decision allow=${m.allow} reason=${m.reason}`);
      const error = m.error === null ? 0 : WIRE_ERRORS.indexOf(m.error);
      if (error < 0) throw bad(`error ${m.error}`);
      body = Uint8Array.of(m.allow ? 1 : 0, reason, error);
      break;
    }
    case 'hotlist': {
      if (!u32ok(m.version)) throw bad(`version ${m.version}`);
      if (m.items.length > MAX_DELTA_ITEMS) throw bad(`${m.items.length} items; at most ${MAX_DELTA_ITEMS} a message`);
      body = new Uint8Array(5 + 9 * m.items.length);
      putU32(body, 0, m.version);
      body[4] = m.items.length;
      m.items.forEach((it, i) => {
        const q = 5 + 9 * i;
        if (!/^[0-9]+$/.test(it.cardNumber)) throw bad(`card number ${it.cardNumber}`);
        const card = Number(BigInt(it.cardNumber));
        if (card < 1 || card > MAX_CARD) throw bad(`card number ${it.cardNumber} out of range`);
        const status = it.op === 'put' ? HOT_STATUSES.indexOf(it.status ?? 'blocked') : 0;
        if (status < 0) throw bad(`status ${it.status}`);
        const minIssue = it.op === 'put' && it.minIssue !== undefined ? it.minIssue : 0xffff;
        if (!u16ok(minIssue) || (it.minIssue !== undefined && minIssue === 0xffff)) throw bad(`minIssue ${it.minIssue}`);
        body[q] = it.op === 'put' ? 1 : 0;
        body[q + 1] = Math.floor(card / 2 ** 32);
        putU32(body, q + 2, card % 2 ** 32);
        body[q + 6] = status;
        body[q + 7] = minIssue >> 8;
        body[q + 8] = minIssue & 0xff;
      });
      break;
    }
    case 'heartbeat':
      if (!u32ok(m.uptimeMs) || !u32ok(m.hotlistVersion) || !u16ok(m.hotlistCount) || !u16ok(m.badFrames)) throw bad('heartbeat field out of range');
      body = new Uint8Array(12);
      putU32(body, 0, m.uptimeMs);
      putU32(body, 4, m.hotlistVersion);
      body[8] = m.hotlistCount >> 8;
      body[9] = m.hotlistCount & 0xff;
      body[10] = m.badFrames >> 8;
      body[11] = m.badFrames & 0xff;
      break;
    case 'error': {
      const code = LINK_ERRORS.indexOf(m.code);
      if (code < 1 || !Number.isInteger(m.detail) || m.detail < 0 || m.detail > 255) throw bad(`error ${m.code}/${m.detail}`);
      body = Uint8Array.of(code, m.detail);
      break;
    }
  }
  const type = { card: MSG_CARD, decision: MSG_DECISION, hotlist: MSG_HOTLIST, heartbeat: MSG_HEARTBEAT, error: MSG_ERROR }[m.type];
  const out = new Uint8Array(2 + body.length);
  out[0] = type;
  out[1] = m.seq;
  out.set(body, 2);
  return out;
}

/** Decodes a payload (CRC already checked by the frame layer). Throws BridgeError. */
export function decodeMessage(p: Uint8Array): BridgeMessage {
  needBytes('decodeMessage', 'payload', p);
  if (p.length < 2) throw bad(`payload of ${p.length} bytes`);
  const seq = p[1];
  const b = p.subarray(2);
  const need = (n: number) => {
    if (b.length !== n) throw bad(`type ${p[0]}: body of ${b.length} bytes, want ${n}`, 2);
  };
  switch (p[0]) {
    case MSG_CARD: {
      if (b.length < 1) throw bad('card: empty body', 2);
      if (![4, 7, 10].includes(b[0])) throw bad(`card: UID length ${b[0]}`, 2);
      need(1 + b[0] + 16);
      return { type: 'card', seq, uid: b.slice(1, 1 + b[0]), gateBlock: b.slice(1 + b[0]) };
    }
    case MSG_DECISION: {
      need(3);
      const reason = WIRE_REASONS[b[1]];
      if (b[0] > 1 || reason === undefined || (b[0] === 1) !== (reason === 'ok')) throw bad(`decision: allow ${b[0]} reason ${b[1]}`, 2);
      const error = WIRE_ERRORS[b[2]] as WireError | null | undefined;
      if (error === undefined) throw bad(`decision: error ${b[2]}`, 4);
      return { type: 'decision', seq, allow: b[0] === 1, reason, error };
    }
    case MSG_HOTLIST: {
      if (b.length < 5) throw bad('hotlist: short body', 2);
      if (b[4] > MAX_DELTA_ITEMS) throw bad(`hotlist: ${b[4]} items`, 6);
      need(5 + 9 * b[4]);
      const items: HotlistItem[] = [];
      for (let i = 0; i < b[4]; i++) {
        const q = 5 + 9 * i;
        if (b[q] > 1) throw bad(`hotlist: op ${b[q]}`, 2 + q);
        const card = b[q + 1] * 2 ** 32 + u32(b, q + 2);
        if (card < 1 || card > MAX_CARD) throw bad(`hotlist: card number ${card}`, 3 + q);
        const minIssue = (b[q + 7] << 8) | b[q + 8];
        if (b[q] === 0) {
          // One encoding per message: a remove carries status 0 and no minIssue.
          if (b[q + 6] !== 0 || minIssue !== 0xffff) throw bad('hotlist: remove with a status or minIssue', 8 + q);
          items.push({ op: 'remove', cardNumber: String(card) });
        }
        else {
          const status = HOT_STATUSES[b[q + 6]];
          if (!status) throw bad(`hotlist: status ${b[q + 6]}`, 8 + q);
          items.push({ op: 'put', cardNumber: String(card), status, ...(minIssue === 0xffff ? {} : { minIssue }) });
        }
      }
      return { type: 'hotlist', seq, version: u32(b, 0), items };
    }
    case MSG_HEARTBEAT:
      need(12);
      return { type: 'heartbeat', seq, uptimeMs: u32(b, 0), hotlistVersion: u32(b, 4), hotlistCount: (b[8] << 8) | b[9], badFrames: (b[10] << 8) | b[11] };
    case MSG_ERROR: {
      need(2);
      const code = LINK_ERRORS[b[0]];
      if (!code) throw bad(`error: code ${b[0]}`, 2);
      return { type: 'error', seq, code, detail: b[1] };
    }
    default:
      throw new BridgeError('UNKNOWN_TYPE', `message type 0x${p[0].toString(16)}`, { offset: 0 });
  }
}
