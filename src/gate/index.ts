/** `hmskort/gate`: the gate engine (spec section 7 at a turnstile), hot list, policy, Wiegand, OSDP. */
export * from './gate.js';
export * from '../hotlist/index.js';
export * from './policy.js';
export * from './reload.js';
export * from './wiegand.js';
export * from './osdp.js';
export * from './errors.js';
export * from './decisionLog.js';
export { decideGate, decideGateFast, compilePolicy, hotlistFromEntries, validatePolicy, HOTLIST_STATUSES, REASONS, type GateDecision, type GatePolicy, type GateReason, type HotlistEntry, type HotlistLookup, type HotlistStatus } from '../codec/gateDecision.js';
