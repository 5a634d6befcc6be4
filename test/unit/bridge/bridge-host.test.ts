/**
 * BridgeHost (src/bridge/host.ts) over the in-memory SerialLink pair (src/transport/serial.ts):
 * the host answers card messages with decisions carrying the card's seq, delivers chunks cut byte
 * by byte, counts a frame corrupted on the link without failing, and rejects a decision error that
 * the wire cannot carry. The reader end is played by the pure encoder/feed, so no C is needed here
 * (test/integration/bridge/bridge-serial.test.ts runs the C reader over a pty).
 */
import { describe, expect, it } from 'vitest';
import { MemorySerialLink } from '../../../src/transport/serial.js';
import { BridgeHost } from '../../../src/bridge/host.js';
import { encodeBridgeFrame, feed, newBridgeFrameState } from '../../../src/bridge/cobs.js';
import { decodeMessage, encodeMessage, type BridgeMessage } from '../../../src/bridge/messages.js';
import { decideGate } from '../../../src/codec/gateDecision.js';

const gate = Uint8Array.from(Buffer.from('4811000001e2403a19aae128a800ff8d', 'hex')); // the spec's example
const NOW = Date.parse('2027-01-01T12:00:00Z');
const flush = () => new Promise((r) => setTimeout(r, 5));

function reader(link: MemorySerialLink) {
  let state = newBridgeFrameState();
  const got: BridgeMessage[] = [];
  link.onData((b) => {
    const r = feed(state, b);
    state = r.state;
    got.push(...r.frames.map(decodeMessage));
  });
  return { got, send: (m: BridgeMessage) => link.write(encodeBridgeFrame(encodeMessage(m))) };
}

describe('BridgeHost on MemorySerialLink', () => {
  it('answers each card with the decision of decideGate under the card seq, byte by byte delivery', async () => {
    const [hostEnd, readerEnd] = MemorySerialLink.pair();
    readerEnd.faults = { chunkSize: 1 };
    const host = new BridgeHost(hostEnd, { onCard: (c) => decideGate(c.gateBlock, NOW, [{ cardNumber: '42', status: 'lost' }], {}) });
    const r = reader(readerEnd);
    await r.send({ type: 'card', seq: 17, uid: Uint8Array.of(1, 2, 3, 4), gateBlock: gate });
    await r.send({ type: 'card', seq: 18, uid: Uint8Array.of(1, 2, 3, 4), gateBlock: new Uint8Array(16) });
    await flush();
    expect(r.got).toEqual([
      { type: 'decision', seq: 17, allow: true, reason: 'ok', error: null },
      { type: 'decision', seq: 18, allow: false, reason: 'invalid', error: 'BLANK' },
    ]);
    expect(host.badFrames).toBe(0);
  });

  it('counts a corrupted frame, drops it, and takes the next one', async () => {
    const [hostEnd, readerEnd] = MemorySerialLink.pair();
    readerEnd.faults = { corrupt: { offset: 5, xor: 0x40 } }; // inside the first frame
    const seen: BridgeMessage[] = [];
    const host = new BridgeHost(hostEnd);
    host.on('message', (m) => seen.push(m));
    const r = reader(readerEnd);
    await r.send({ type: 'heartbeat', seq: 1, uptimeMs: 1, hotlistVersion: 0, hotlistCount: 0, badFrames: 0 });
    await r.send({ type: 'heartbeat', seq: 2, uptimeMs: 2, hotlistVersion: 0, hotlistCount: 0, badFrames: 0 });
    await flush();
    expect(seen.map((m) => m.seq)).toEqual([2]);
    expect(host.badFrames).toBe(1);
  });

  it("emits 'error' when a decision carries a code the wire cannot carry", async () => {
    const [hostEnd, readerEnd] = MemorySerialLink.pair();
    const host = new BridgeHost(hostEnd, { onCard: () => ({ allow: false, reason: 'invalid', error: 'BAD_MAD_CRC' }) });
    const errors: Error[] = [];
    host.on('error', (e) => errors.push(e));
    await reader(readerEnd).send({ type: 'card', seq: 1, uid: Uint8Array.of(1, 2, 3, 4), gateBlock: gate });
    await flush();
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['BAD_MESSAGE']);
  });
});
