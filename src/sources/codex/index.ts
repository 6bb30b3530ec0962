export { FALLBACK_MODEL, sessionIdFromPath } from './parser.js';
export { codexHomes, discoverRollouts } from './paths.js';
export { codexSource, parseRollout } from './source.js';
export type { CodexState } from './state.js';
