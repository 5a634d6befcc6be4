/**
 * The demo's PC/SC path: when pcscd runs with vsmartcard's vpcd driver (its TCP port listens),
 * the demo's virtual card is plugged into vpcd and read back through pcscd, pcsclite and nfc-pcsc,
 * exactly as a plastic card on a USB reader would be. Otherwise the demo stays in memory.
 */
import { readFileSync } from 'node:fs';
import type { CardReader } from '../transport/card.js';
import type { VirtualMifareClassic1K } from '../testing/virtualCard.js';

export interface DemoPcsc {
  reader: CardReader;
  readerName: string;
  close(): Promise<void>;
}

/** True when something listens on the vpcd TCP port (read from /proc: connecting would present a card). */
export function vpcdListening(port: number): boolean {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const re = new RegExp(`^\\s*\\d+: [0-9A-F]+:${hex} [0-9A-F]+:0000 0A`, 'm');
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      if (re.test(readFileSync(f, 'utf8'))) return true;
    } catch {
      // not Linux, or no IPv6: not listening there
    }
  }
  return false;
}

/** Why the demo stays in memory. */
export interface NoDemoPcsc {
  reason: string;
}

/**
 * Plugs `card` into vpcd and opens the PC/SC reader; otherwise says why not (pcscd/vpcd or
 * nfc-pcsc absent, the slot held by another program). Every wait in here is bounded: the reader's
 * name (3 s) and the card (5 s).
 */
export async function openDemoPcsc(card: VirtualMifareClassic1K, env: NodeJS.ProcessEnv): Promise<DemoPcsc | NoDemoPcsc> {
  const port = Number(env.HMSKORT_VPCD_PORT ?? 35963);
  if (!vpcdListening(port)) return { reason: `nothing listens on the vpcd port ${port} (no pcscd with vsmartcard-vpcd)` };
  const { VpcdSlot, vpcdCardFromVirtual } = await import('../drivers/vpcd/client.js');
  const { openPcscReader } = await import('../drivers/pcsc/reader.js');
  // 127.0.0.2: scripts/pcscd-test-env.sh gives it a quickack route (vpcd's unbuffered two-write
  // frames otherwise wait on delayed ACKs: 43 ms per APDU); any loopback address reaches vpcd.
  const slot = new VpcdSlot({ port, host: env.HMSKORT_VPCD_HOST ?? '127.0.0.2' });
  let reader: CardReader | undefined;
  try {
    await slot.present(vpcdCardFromVirtual(card));
    reader = await openPcscReader({ name: 'Virtual PCD' });
    const seen = await reader.waitForCard({ timeoutMs: 5000 });
    // The card pcscd shows must be ours: vpcd has one slot, and another program (a test, a
    // `hmskort simulate`) may hold it. Ours answered the reader's Get UID, and has our UID.
    const same = seen.uid.length === card.uid.length && seen.uid.every((b, i) => b === card.uid[i]);
    if (!slot.connected || slot.counters.apdus === 0 || !same) throw new Error(`another program holds the vpcd slot (pcscd shows card ${Buffer.from(seen.uid).toString('hex')}, e.g. a \`hmskort simulate\`)`);
    const r = reader;
    return {
      reader: r,
      readerName: r.name,
      close: async () => {
        await r.close();
        await slot.remove();
      },
    };
  } catch (e) {
    await reader?.close().catch(() => {});
    await slot.remove().catch(() => {});
    const msg = e instanceof Error ? e.message : String(e);
    return { reason: /TIMEOUT: no card/.test(msg) ? 'pcscd showed no card from the vpcd slot within 5 s (another program holds it?)' : msg };
  }
}
