/**
 * The Evolis printer emulator (issue 16 part 3): see emulator.ts for what it models, from which
 * documents, and what is configurable because the documents leave it open.
 */
export { EvolisEmulator, type EvolisEmulatorOptions, type TranscriptEntry } from './emulator.js';
export { type EvolisInjection, type ErrorInjection, type CorruptTrackInjection, type ChipInjection, PRINTER_ERRORS } from './faults.js';
export { contactlessField, type ContactlessField } from './field.js';
export { serveEvolisEmulator, emulatorDuplex, type EvolisServer } from './transports.js';
export { replayEvolisStream, type ReplayResult, type ReplayedPanel } from './replay.js';
export { feedEvolis, finishEvolis, EMPTY_EVOLIS_STATE, type EvolisFrame, type EvolisParserState } from './frames.js';
export type { EmulatedPrinterCard, PrintedPanel, CardFate, Station } from './machine.js';
