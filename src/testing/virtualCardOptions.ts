/**
 * Options, counters and the operation log of the virtual MIFARE Classic (virtualCard.ts).
 */
import type { CardErrorCode, KeyType } from '../transport/card.js';
import type { UidKind } from './uidKinds.js';

export interface OperationCounters {
  /** Commands sent to the card (authentications + reads + writes), silent or not. */
  operations: number;
  auths: number;
  reads: number;
  writes: number;
  /** Commands the chip refused (NAK or no answer), the failed authentications included. */
  refused: number;
  /** Commands sent while the chip was silent (each also counted in `refused`). */
  silent: number;
  /** Re-activations: reactivate(), reinsert(). */
  reactivations: number;
}

export interface OperationRecord {
  op: 'auth' | 'read' | 'write';
  block: number;
  keyType?: KeyType;
  /** The error code when the operation failed. */
  error?: CardErrorCode;
}

/** What the chip does after a failure: silent until re-activated (the silicon), or only unauthenticated. */
export type AfterFailure = 'stay-silent' | 'lenient';

export interface VirtualCardOptions {
  /** Record every operation in `log` (for tests of write order). */
  log?: boolean;
  /** Default 'stay-silent', as the chip does (see the file comment); 'lenient' for readers that reselect by themselves. */
  afterFailure?: AfterFailure;
  /** Default 'fixed'. 'random-id': a new 08xxxxxx UID at each activation; 'nuid': a 4-byte non-unique ID. */
  uidKind?: UidKind;
  /** Random bytes for random IDs (default: the platform CSPRNG), for reproducible tests. */
  random?: (n: number) => Uint8Array;
}
