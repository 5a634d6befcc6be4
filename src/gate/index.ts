/**
 * `hmskort/gate`: the gate engine (spec section 7 at a turnstile), hot list, policy, Wiegand, OSDP.
 * One line per module; the snapshot of these names is test/unit/project/exports.test.ts.
 */
// The decision (section 7), pure
export { decideGate, decideGateFast, compilePolicy, hotlistFromEntries, validatePolicy, HOTLIST_STATUSES, REASONS, type GateDecision, type GateEventReason, type GatePolicy, type GateReason, type StaleHotlistAction, type HotlistEntry, type HotlistLookup, type HotlistStatus } from '../codec/gateDecision.js';
// The engine at a reader
export { decisionPart, Gate, type GateDecisionEvent, type GateOptions, type GateTimings } from './gate.js';
export type { HotlistSource } from './hotlistSource.js';
// Holder data after the decision (issue 18 part 1)
export { type GateHolder, type GateHolderEvent, type HolderReadOptions, type HolderStats } from './holderRead.js';
// Configuration: hot list, policy, reloading on change, and their errors
export { Hotlist, loadHotlistFile, parseHotlist } from '../hotlist/index.js';
export { loadPolicyFile, parsePolicy } from './policy.js';
export { FileReloader, type FileReloaderOptions } from './reload.js';
export { GateConfigError, type GateConfigErrorCode, type GateConfigErrorDetails } from './errors.js';
// Decision log
export { DecisionLog, logDecisions, type DecisionLogOptions, type DecisionLogStats } from './decisionLog.js';
// To an access controller: Wiegand and OSDP
export { decodeWiegand, encodeH10301, encodeH10304, encodeWiegand, wiegandBits, wiegandBytes, type DecodedWiegand, type WiegandFormat, type WiegandFrame } from './wiegand.js';
export { OSDP_FORMAT_RAW_UNSPECIFIED, OSDP_FORMAT_WIEGAND, OSDP_RAW_REPLY, osdpRawBody, osdpRawWiegand, parseOsdpRaw, type OsdpRaw } from './osdp.js';
