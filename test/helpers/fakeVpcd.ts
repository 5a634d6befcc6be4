/**
 * A stand-in for vsmartcard's vpcd on a real TCP socket, speaking its wire protocol (vpcd.c:
 * 2-byte big-endian length + payload; 1-byte control messages 00 off, 01 on, 02 reset, 04 get-ATR),
 * for tests of our vpcd card side without pcscd. `fakeVpcd()` listens on a free port; `asker(socket)`
 * sends messages and waits (2 s at most) for each answer.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { encodeVpcdFrame, EMPTY_VPCD_FRAME_STATE, feedVpcdFrames, type VpcdFrameState } from '../../src/drivers/vpcd/frame.js';
import { fromHex as hex, toHex } from './hex.js';


export interface FakeVpcd {
  server: Server;
  port: number;
  /** The first client's connection (vpcd accepts one card at a time). */
  client: Promise<Socket>;
}

/** Listens on a free loopback port, as vpcd does on 35963. */
export async function fakeVpcd(): Promise<FakeVpcd> {
  const server = createServer();
  let accept!: (s: Socket) => void;
  const client = new Promise<Socket>((r) => (accept = r));
  server.on('connection', (s) => accept(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, client };
}

export function asker(s: Socket) {
  let state: VpcdFrameState = EMPTY_VPCD_FRAME_STATE;
  const waiting: Array<(b: Uint8Array) => void> = [];
  s.on('data', (chunk) => {
    const r = feedVpcdFrames(state, chunk);
    state = r.state;
    for (const f of r.frames) waiting.shift()?.(f);
  });
  return {
    ask: (payload: string) =>
      new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no answer to ${payload} within 2 s`)), 2000);
        waiting.push((b) => (clearTimeout(t), resolve(toHex(b))));
        s.write(encodeVpcdFrame(hex(payload)));
      }),
    tell: (payload: string) => s.write(encodeVpcdFrame(hex(payload))),
  };
}

/** Closes the stand-in: its side of the connection first (server.close waits for it). */
export async function closeFake(vpcd: FakeVpcd): Promise<void> {
  vpcd.server.close();
  const c = await Promise.race([vpcd.client, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10))]);
  c?.destroy();
}

