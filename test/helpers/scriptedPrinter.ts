/**
 * A scripted Evolis printer for the driver's transport tests: a TCP server on 127.0.0.1 (a free
 * port) that cuts the byte stream into frames (ESC command;params CR, with the Dbc payload taken by
 * its declared length, A5013 p.6) and answers each with what the script says, or not at all. It is
 * not the emulator (src/testing, engineer P2): it knows no printer state, only the framing, written
 * here independently of src/drivers/printer/frame.ts.
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ReceivedFrame {
  /** "Sic", "Dm;1;ABC", "Dbc;k;2;1016" (the payload not included). */
  readonly text: string;
  readonly payload?: Uint8Array;
}

/** The reply bytes to a frame, or undefined to never answer. */
export type Script = (frame: ReceivedFrame, index: number) => string | Uint8Array | undefined;

export interface ScriptedPrinter {
  readonly port: number;
  readonly frames: ReceivedFrame[];
  /** Every byte received, in order. */
  received(): Uint8Array;
  /** The server's side of the newest connection: to write raw bytes, or to drop it. */
  socket(): Socket | undefined;
  /** How many connections were accepted. */
  connections(): number;
  close(): Promise<void>;
}

/** Cuts frames out of `buf`; returns the frames and the bytes not yet framed. */
export function cutFrames(buf: Uint8Array): { frames: ReceivedFrame[]; rest: Uint8Array } {
  const frames: ReceivedFrame[] = [];
  let i = 0;
  for (;;) {
    while (i < buf.length && buf[i] === 0) i++; // padding NULs between frames (S10 captures)
    if (i >= buf.length) break;
    if (buf[i] !== 0x1b) throw new Error(`byte 0x${buf[i].toString(16)} at ${i} where ESC was expected`);
    let j = i + 1;
    while (j < buf.length && buf[j] !== 0x0d && !(buf[j] === 0x3b && /^Db[c]?;[^;]*;[^;]*;\d+$/.test(ascii(buf.subarray(i + 1, j))))) j++;
    if (j >= buf.length) break;
    const text = ascii(buf.subarray(i + 1, j));
    if (buf[j] === 0x0d) {
      frames.push({ text });
      i = j + 1;
      continue;
    }
    // Db/Dbc: ';' after the length parameter, then exactly that many bytes, then CR.
    const n = Number(text.split(';')[3]);
    if (j + 1 + n >= buf.length) break;
    if (buf[j + 1 + n] !== 0x0d) throw new Error(`${text}: no CR after ${n} payload bytes`);
    frames.push({ text, payload: buf.slice(j + 1, j + 1 + n) });
    i = j + 2 + n;
  }
  return { frames, rest: buf.slice(i) };
}

function ascii(b: Uint8Array): string {
  return String.fromCharCode(...b);
}

export async function startScriptedPrinter(script: Script): Promise<ScriptedPrinter> {
  const frames: ReceivedFrame[] = [];
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    accepted++;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending: Uint8Array = new Uint8Array(0);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = new Uint8Array(pending.length + chunk.length);
      all.set(pending);
      all.set(chunk, pending.length);
      const { frames: got, rest } = cutFrames(all);
      pending = rest;
      for (const f of got) {
        frames.push(f);
        const reply = script(f, frames.length - 1);
        if (reply !== undefined) socket.write(typeof reply === 'string' ? Buffer.from(reply, 'latin1') : reply);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    port,
    frames,
    received: () => new Uint8Array(Buffer.concat(chunks)),
    socket: () => [...sockets].at(-1),
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
