/**
 * The keys file (issue 3; spec section 3 "Keys", section 5): JSON
 *
 *   { "readMaster": "<16 bytes hex>", "writeMaster": "<16 bytes hex>",
 *     "signingKey": "<32-byte Ed25519 seed hex>", "keyId": 1,
 *     "publicKeys": { "1": "<32-byte Ed25519 public key hex>" } }
 *
 * A gate needs only readMaster and publicKeys; an issuing station has writeMaster and may sign.
 * Secrets never leave a KeyRing by accident: they live in private fields, and toJSON, toString
 * and Node's inspect print "<redacted>". Error messages name the field, never its value.
 */
import { toHex } from '../codec/hex.js';
import { publicKeyOf } from './signature.js';
import { printable, quoteExcerpt } from '../codec/printable.js';
import { needObject } from '../codec/guard.js';
import type { ErrorKind } from '../codec/errors.js';

export class KeysFileError extends Error {
  override readonly name = 'KeysFileError';
  /** One code for the family: the keys file does not parse or validate (`field` says where). */
  readonly code = 'KEYS_FILE';
  /** A configuration file (CLI exit 3). */
  get kind(): ErrorKind {
    return 'config';
  }
  /** The field at fault (`writeMaster`, `publicKeys.3`, ...). */
  readonly field?: string;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** The keys file as JSON. */
export interface KeysFileJson {
  readMaster: string;
  writeMaster?: string;
  signingKey?: string;
  keyId?: number;
  publicKeys?: Record<string, string>;
}

const REDACTED = '<redacted>';
const FIELDS = new Set(['readMaster', 'writeMaster', 'signingKey', 'keyId', 'publicKeys']);

function hexField(value: unknown, field: string, bytes: number): Uint8Array {
  const what = `${field}: expected ${bytes} bytes as ${bytes * 2} hex digits`;
  if (typeof value !== 'string') throw new KeysFileError(`${what}, got ${value === null ? 'null' : typeof value}`, field);
  if (!/^[0-9a-fA-F]*$/.test(value)) throw new KeysFileError(`${what}, got a string with non-hex characters`, field);
  if (value.length !== bytes * 2) throw new KeysFileError(`${what}, got ${value.length} digits`, field);
  return Uint8Array.from(value.match(/../g)!.map((h) => parseInt(h, 16)));
}

function keyIdOf(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 255) throw new KeysFileError(`${field}: a key id is an integer 1-255`, field);
  return n;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Master keys, optional signing key, and the public keys a verifier trusts. */
export class KeyRing {
  readonly #readMaster: Uint8Array;
  readonly #writeMaster?: Uint8Array;
  readonly #signingKey?: Uint8Array;
  readonly keyId?: number;
  /** Public keys by key id (includes the signing key's own public key). */
  readonly publicKeys: ReadonlyMap<number, Uint8Array>;

  constructor(parts: { readMaster: Uint8Array; writeMaster?: Uint8Array; signingKey?: Uint8Array; keyId?: number; publicKeys?: ReadonlyMap<number, Uint8Array> }) {
    needObject('KeyRing', 'parts', parts);
    this.#readMaster = parts.readMaster.slice();
    this.#writeMaster = parts.writeMaster?.slice();
    this.#signingKey = parts.signingKey?.slice();
    this.keyId = parts.keyId;
    this.publicKeys = new Map(parts.publicKeys ?? []);
  }

  get readMaster(): Uint8Array {
    return this.#readMaster.slice();
  }
  get writeMaster(): Uint8Array | undefined {
    return this.#writeMaster?.slice();
  }
  get signingKey(): Uint8Array | undefined {
    return this.#signingKey?.slice();
  }

  /** The write master, or a KeysFileError saying this keys file cannot encode cards. */
  requireWriteMaster(): Uint8Array {
    if (!this.#writeMaster) throw new KeysFileError('writeMaster: this keys file has no write master (a gate keys file cannot encode cards)', 'writeMaster');
    return this.#writeMaster.slice();
  }

  /** What a gate may hold: the read master and the public keys (spec section 3). */
  forGate(): KeyRing {
    return new KeyRing({ readMaster: this.#readMaster, publicKeys: this.publicKeys });
  }

  /** Public keys as a record by decimal id (the form verifyCardImage and vectors use). */
  publicKeysRecord(): Record<string, Uint8Array> {
    return Object.fromEntries([...this.publicKeys].map(([id, k]) => [String(id), k]));
  }

  /** Redacted: secrets never reach JSON output. */
  toJSON(): Record<string, unknown> {
    return {
      readMaster: REDACTED,
      ...(this.#writeMaster ? { writeMaster: REDACTED } : {}),
      ...(this.#signingKey ? { signingKey: REDACTED, keyId: this.keyId } : {}),
      publicKeys: Object.fromEntries([...this.publicKeys].map(([id, k]) => [String(id), toHex(k)])),
    };
  }

  toString(): string {
    return `KeyRing ${JSON.stringify(this.toJSON())}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * Parses and validates a keys file (its text or the parsed JSON). Throws KeysFileError naming
 * the field: wrong lengths, non-hex text, unknown fields, a key id without a signing key (or the
 * reverse), equal read and write masters, or a public key that contradicts the signing key.
 */
export function parseKeysFile(json: string | unknown): KeyRing {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new KeysFileError(`keys file is not JSON: ${printable((e as Error).message, 120)}`);
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new KeysFileError('keys file must be a JSON object');
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.has(k)) throw new KeysFileError(`unknown field ${quoteExcerpt(k)} (expected ${[...FIELDS].join(', ')})`, k);
  if (o.readMaster === undefined) throw new KeysFileError('readMaster is required', 'readMaster');
  const readMaster = hexField(o.readMaster, 'readMaster', 16);
  const writeMaster = o.writeMaster === undefined ? undefined : hexField(o.writeMaster, 'writeMaster', 16);
  if (writeMaster && equal(readMaster, writeMaster)) {
    throw new KeysFileError('readMaster and writeMaster must differ: gates hold the read master and must not be able to write', 'writeMaster');
  }
  if ((o.signingKey === undefined) !== (o.keyId === undefined)) {
    throw new KeysFileError('signingKey and keyId go together: give both or neither', o.signingKey === undefined ? 'signingKey' : 'keyId');
  }
  const signingKey = o.signingKey === undefined ? undefined : hexField(o.signingKey, 'signingKey', 32);
  const keyId = o.keyId === undefined ? undefined : keyIdOf(o.keyId, 'keyId');
  const publicKeys = new Map<number, Uint8Array>();
  if (o.publicKeys !== undefined) {
    if (typeof o.publicKeys !== 'object' || o.publicKeys === null || Array.isArray(o.publicKeys)) {
      throw new KeysFileError('publicKeys must be an object {"<key id>": "<32-byte hex>"}', 'publicKeys');
    }
    for (const [id, v] of Object.entries(o.publicKeys as Record<string, unknown>)) {
      publicKeys.set(keyIdOf(id, `publicKeys.${id}`), hexField(v, `publicKeys.${id}`, 32));
    }
  }
  if (signingKey && keyId !== undefined) {
    const own = publicKeyOf(signingKey);
    const listed = publicKeys.get(keyId);
    if (listed && !equal(listed, own)) throw new KeysFileError(`publicKeys.${keyId} is not the public key of signingKey`, `publicKeys.${keyId}`);
    publicKeys.set(keyId, own);
  }
  return new KeyRing({ readMaster, writeMaster, signingKey, keyId, publicKeys });
}
