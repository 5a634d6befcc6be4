/**
 * The emulator on a wire: a TCP server on 127.0.0.1 and an in-memory Node duplex. Each connection
 * has its own stream parser (frames.ts) and every frame gets its reply written back as it is, with
 * no terminator: the SDK samples compare the whole reply with "OK" (S9 CPrinter.vb, S16; evolis.md
 * §1), so a reader tells the end of a reply by a quiet gap. The printer's TCP port is [UNK]
 * (evolis.md §1): the server listens where it is told, by default on a free port.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { EMPTY_EVOLIS_STATE, feedEvolis, finishEvolis, type EvolisParserState } from './frames.js';
import { EvolisEmulator } from './emulator.js';
import { argumentError, needOptions } from '../../codec/guard.js';

export interface EvolisServer {
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Feeds one connection's bytes through its own parser; replies go to `send` in order. */
function connectionFeeder(emulator: EvolisEmulator, send: (reply: string) => void) {
  let state: EvolisParserState = EMPTY_EVOLIS_STATE;
  return {
    data(chunk: Uint8Array): void {
      const step = feedEvolis(state, chunk);
      state = step.state;
      for (const f of step.frames) void emulator.execute(f).then(send, () => undefined);
    },
    /** The peer stopped sending: a frame left unfinished is recorded, its reply has nowhere to go. */
    end(): void {
      for (const f of finishEvolis(state)) void emulator.execute(f).catch(() => undefined);
      state = EMPTY_EVOLIS_STATE;
    },
  };
}

/** Serves `emulator` over TCP on `host` (default 127.0.0.1) and `port` (default 0: a free port). */
export async function serveEvolisEmulator(emulator: EvolisEmulator, opts: { host?: string; port?: number } = {}): Promise<EvolisServer> {
  if (!(emulator instanceof EvolisEmulator)) throw argumentError('serveEvolisEmulator', 'emulator', 'an EvolisEmulator', emulator);
  needOptions('serveEvolisEmulator', 'opts', opts);
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const feeder = connectionFeeder(emulator, (reply) => {
      if (!socket.destroyed) socket.write(reply, 'latin1');
    });
    socket.on('data', (chunk: Buffer) => feeder.data(chunk));
    socket.on('end', () => {
      feeder.end();
      socket.end();
    });
    socket.on('error', () => undefined); // a peer that resets the connection stops nothing
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A Node duplex in memory: write the command stream, read the replies. */
export function emulatorDuplex(emulator: EvolisEmulator): Duplex {
  if (!(emulator instanceof EvolisEmulator)) throw argumentError('emulatorDuplex', 'emulator', 'an EvolisEmulator', emulator);
  let feeder: ReturnType<typeof connectionFeeder>;
  const duplex = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      feeder.data(chunk);
      callback();
    },
    final(callback) {
      feeder.end();
      callback();
    },
  });
  feeder = connectionFeeder(emulator, (reply) => {
    if (!duplex.destroyed) duplex.push(Buffer.from(reply, 'latin1'));
  });
  return duplex;
}
