// The internal kit adapters are built from: the one way into a request and the few engine pieces they need; not a public entry.
export { beginRequest } from './begin.js';
export type { BegunRequest } from './begin.js';
export { createSetup } from './setup.js';
export type { Setup } from './setup.js';
export type { HttpExchange } from './exchange.js';
export { exposureEvent } from './exposure.js';
export { UNPREPARED_SIGNER } from '../cookies/prepared-signer.js';
export { WebCryptoSigner } from '../cookies/web-crypto-signer.js';
export { show } from '../engine/errors.js';
export { booleanOption, checkKnownOptions, functionOption, invalidOption, optionsObject } from '../engine/option-checks.js';
export { callSafely, syncAnswer } from '../engine/thenable.js';
export { buildRegistry } from '../engine/registry.js';
export { memberAssignment } from '../engine/assignment.js';
export type { CompiledMulti, CompiledSet, CompiledTrackSet } from '../engine/compile.js';
