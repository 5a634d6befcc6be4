/**
 * The gate's hot list (spec section 7 rule 3): the million-entry table, the CSV and JSON readers and
 * the file loader. What an entry is comes from the codec (src/codec/hotlistEntry.ts).
 * `hmskort/gate` re-exports these names.
 */
export { Hotlist, parseHotlist, loadHotlistFile } from './load.js';
