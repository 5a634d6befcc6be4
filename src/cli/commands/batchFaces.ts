/**
 * The faces a printer batch prints on an order's card: the front (holder, employer, card number,
 * expiry, category) and the back (barcode) as the printer's monochrome panels (src/faces/).
 */
import type { Order } from '../../batch/orders.js';
import type { CardFaces } from '../../batch/printerRun.js';

export async function orderFaces(order: Order): Promise<CardFaces> {
  const { frontPanel, backPanel } = await import('../../faces/panel.js');
  return { front: frontPanel(order.holder), back: backPanel(order.holder) };
}
