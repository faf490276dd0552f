// The emit stage: compiled header strings → JSON, .env, TypeScript or custom-template outputs.
export { validateEnvPrefix } from "./env.js";
export { renderOutputs, type OutputRequest } from "./outputs.js";
export type { OutputFile } from "./output-file.js";
export {
  writeOutputs,
  checkOutputs,
} from "./write.js";
export { watchAndRebuild } from "./watch.js";
