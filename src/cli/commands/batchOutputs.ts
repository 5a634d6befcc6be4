/**
 * What `hmskort batch` produces besides the chip: print files (barcode PNG, card-back SVG) and the
 * magnetic stripe. Issue 19 item 10: every output and device is checked before the first card, so
 * a print folder under a regular file or an encoder that does not answer stops the batch at once,
 * naming the path, instead of failing after the chip is encoded and blaming the card.
 */
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { barcodePayload } from '../../codec/barcode.js';
import type { Order } from '../../batch/orders.js';

/** An output or device of the batch cannot be used; `path` names it. Exit 4 (I/O). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly code = 'OUTPUT_UNUSABLE';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Outputs {
  printDir?: string;
  stripe?: { port: string; swipeTimeoutMs: number };
}

/** Creates the print folder and writes a probe file there; asks the stripe encoder to answer. */
export async function checkOutputs(out: Outputs, signal: AbortSignal): Promise<void> {
  if (out.printDir) {
    const probe = join(out.printDir, `.hmskort-probe-${process.pid}`);
    try {
      await mkdir(out.printDir, { recursive: true });
      await writeFile(probe, '');
      await unlink(probe);
    } catch (e) {
      throw new OutputError(out.printDir, `--print-dir ${out.printDir}: print files cannot be written there (${(e as Error).message}); nothing was encoded`, { cause: e });
    }
  }
  if (out.stripe) {
    const { port } = out.stripe;
    try {
      const { openSerialLink } = await import('../../drivers/msr/serialportLink.js');
      const { MsrStripeEncoder } = await import('../../drivers/msr/stripeEncoder.js');
      const link = await openSerialLink(port);
      const msr = new MsrStripeEncoder(link, { commandTimeoutMs: 3000 });
      try {
        // MSR206 manual, "Communication test" (ESC e, answered ESC y): no swipe, no write.
        await msr.communicationTest({ timeoutMs: 3000, signal });
      } finally {
        msr.dispose();
        await link.close();
      }
    } catch (e) {
      throw new OutputError(port, `--stripe ${port}: the stripe encoder cannot be used (${(e as Error).message}); nothing was encoded`, { cause: e });
    }
  }
}

/** Print files and the stripe for one order. Overwrites: idempotent on resume. */
export async function produceExtras(order: Order, out: Outputs, signal: AbortSignal): Promise<void> {
  if (out.printDir) {
    const { renderBarcodePng, cardBackLayout, cardBackSvg } = await import('../../barcode/index.js');
    await mkdir(out.printDir, { recursive: true });
    const base = join(out.printDir, `${order.id}`);
    await writeFile(`${base}.barcode.png`, await renderBarcodePng(barcodePayload(order.holder)));
    await writeFile(`${base}.card-back.svg`, cardBackSvg(cardBackLayout(order.holder)));
  }
  if (out.stripe) {
    const { writeStripe } = await import('../stripeWrite.js');
    await writeStripe(out.stripe.port, order.holder, { signal, swipeTimeoutMs: out.stripe.swipeTimeoutMs });
  }
}
