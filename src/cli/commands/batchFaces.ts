/**
 * The faces a printer batch prints on an order's card: the front (holder, employer, card number,
 * expiry, category, and the photo of the order's `photo` column) and the back (barcode) as the
 * printer's monochrome panels (src/faces/). The photo was checked when the orders were read.
 */
import { readFile } from 'node:fs/promises';
import type { Order } from '../../batch/orders.js';
import type { CardFaces } from '../../batch/printerRun.js';

export async function orderFaces(order: Order): Promise<CardFaces> {
  const { frontPanel, backPanel } = await import('../../faces/panel.js');
  const photo = order.photo !== undefined ? { photo: await readFile(order.photo), photoFile: order.photo } : {};
  return { front: frontPanel(order.holder, photo), back: backPanel(order.holder) };
}
