/**
 * Connection and recovery of the PC/SC driver as two explicit state machines with named states
 * (after libosdp's osdp_cp_state_e: INIT ... ONLINE / OFFLINE). Pure: a transition table and a
 * step function; core.ts and card.ts act on the states, test/unit/drivers/pcsc/pcsc-recovery.test.ts walks them.
 *
 * The service (pcscd):
 *   INIT -start-> CONNECTING -opened-> ONLINE -lost-> OFFLINE -retry-> CONNECTING
 *   CONNECTING -failed-> OFFLINE;  any -close-> CLOSED (and CLOSED stays CLOSED: a context that
 *   opens after close() is closed at once, never kept with its listeners)
 *
 * The card in the field (one per card generation). A MIFARE Classic is silent after a failed
 * authentication and after any refused read or write, until it is re-activated (NXP AN1304
 * "MIFARE Classic as NFC Type MIFARE Classic Tag", section on authentication; MF1S50 datasheet
 * 9.1, the chip returns to HALT/IDLE on a NAK):
 *   DETECTING -detected-> READY -failure-> SILENT -reset-> RESETTING -reactivated-> READY
 *   RESETTING -uid-changed-> UID_CHANGED (final: another card answers)
 *   READY -reset-> RESETTING (reactivate() on request)
 *   any but UID_CHANGED -left-> GONE (final)
 */
import { needObject, needString } from '../../codec/guard.js';

export type ServiceState = 'INIT' | 'CONNECTING' | 'ONLINE' | 'OFFLINE' | 'CLOSED';
export type ServiceEvent = 'start' | 'opened' | 'failed' | 'lost' | 'retry' | 'close';

export type CardState = 'DETECTING' | 'READY' | 'SILENT' | 'RESETTING' | 'UID_CHANGED' | 'GONE';
export type CardEvent = 'detected' | 'failure' | 'reset' | 'reactivated' | 'uid-changed' | 'reset-failed' | 'left';

type Table<S extends string, E extends string> = Record<S, Partial<Record<E, S>>>;

export const SERVICE_TRANSITIONS: Table<ServiceState, ServiceEvent> = {
  INIT: { start: 'CONNECTING', close: 'CLOSED' },
  CONNECTING: { opened: 'ONLINE', failed: 'OFFLINE', close: 'CLOSED' },
  ONLINE: { lost: 'OFFLINE', close: 'CLOSED' },
  OFFLINE: { retry: 'CONNECTING', close: 'CLOSED' },
  CLOSED: {},
};

export const CARD_TRANSITIONS: Table<CardState, CardEvent> = {
  DETECTING: { detected: 'READY', failure: 'GONE', left: 'GONE' },
  READY: { failure: 'SILENT', reset: 'RESETTING', left: 'GONE' },
  SILENT: { failure: 'SILENT', reset: 'RESETTING', left: 'GONE' },
  // reset-failed: no card answered the re-activation (pulled during the reset): the card is gone.
  RESETTING: { reactivated: 'READY', 'uid-changed': 'UID_CHANGED', 'reset-failed': 'GONE', left: 'GONE', failure: 'SILENT' },
  UID_CHANGED: { left: 'GONE' },
  GONE: {},
};

/** The next state, or undefined when the event is not allowed in `state` (the caller ignores it or fails). */
export function nextState<S extends string, E extends string>(table: Table<S, E>, state: S, event: E): S | undefined {
  return table[state][event];
}

/** A state holder that records every transition (tests and `--verbose` read `history`). */
export class StateMachine<S extends string, E extends string> {
  readonly history: Array<`${S} -${E}-> ${S}`> = [];
  constructor(
    private readonly table: Table<S, E>,
    private current: S,
  ) {
    needObject('StateMachine', 'table', table);
    needString('StateMachine', 'current', current);
  }

  get state(): S {
    return this.current;
  }

  /** Applies `event`; returns false (and stays) when the table does not allow it. */
  fire(event: E): boolean {
    const next = nextState(this.table, this.current, event);
    if (next === undefined) return false;
    this.history.push(`${this.current} -${event}-> ${next}`);
    this.current = next;
    return true;
  }
}
