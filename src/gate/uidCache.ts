/**
 * What a gate keeps per card across taps: the UID as hex text and key A of sector 1 derived from
 * it (spec section 3; a KDF is an AES-CMAC, so repeat taps skip it). Looked up by the UID's bytes,
 * not by its hex string, so a repeat tap makes no string (24 bytes of each tap, issue 14 item 4):
 * a 30-bit FNV-1a hash of the bytes (FNV, IETF draft-eastlake-fnv), the entry's own copy of the
 * UID compared on a hit, a colliding UID simply replacing the entry. Full at `size` entries: it
 * starts again, as the key cache did before.
 */
import { bytesEqual } from '../codec/hex.js';

interface UidEntry {
  readonly uid: Uint8Array;
  readonly hex: string;
  /** Derived on first use (a UID the KDF refuses gets its hex, then the KDF's error). */
  key: Uint8Array | undefined;
}

export class UidCache {
  private readonly entries = new Map<number, UidEntry>();
  private current: UidEntry | undefined;

  constructor(
    private readonly size: number,
    private readonly hexOf: (uid: Uint8Array) => string,
    private readonly keyOf: (uid: Uint8Array) => Uint8Array,
  ) {}

  /** The UID's hex text; its entry becomes the one key() answers for. */
  hex(uid: Uint8Array): string {
    let h = 0x811c9dc5;
    for (let i = 0; i < uid.length; i++) h = Math.imul(h ^ uid[i], 0x01000193);
    h >>>= 2; // a small integer: a Map key that needs no boxing
    const hit = this.entries.get(h);
    if (hit !== undefined && bytesEqual(hit.uid, uid)) {
      this.current = hit;
      return hit.hex;
    }
    const entry: UidEntry = { uid: uid.slice(), hex: this.hexOf(uid), key: undefined };
    if (this.entries.size >= this.size) this.entries.clear();
    this.entries.set(h, entry);
    this.current = entry;
    return entry.hex;
  }

  /** Key A of sector 1 for the UID last given to hex(). */
  key(): Uint8Array {
    const e = this.current!;
    return (e.key ??= this.keyOf(e.uid));
  }
}
