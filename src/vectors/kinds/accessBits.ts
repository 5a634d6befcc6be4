/** Vector kind handler (spec section 8). STUB: replaced by the module that implements it. */
import type { KindHandler } from '../kind.js';

export const handler: KindHandler = () => {
  throw new Error('vector kind not implemented yet');
};
