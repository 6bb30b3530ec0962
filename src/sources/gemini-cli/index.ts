export { discoverChats, geminiRoots } from './paths.js';
export {
  createGeminiCliSource,
  type GeminiCliSourceOptions,
  geminiCliSource,
  MAX_JSON_BYTES,
} from './source.js';
