// The emit stage: compiled header strings → JSON, .env, TypeScript or custom-template outputs.
export { renderJson } from "./json.js";
export { renderEnvFile, validateEnvPrefix, DEFAULT_ENV_PREFIX, type EnvFileOptions } from "./env.js";
export { renderTsModule, type TsModuleOptions } from "./ts.js";
export { renderTemplate, type TemplateOptions } from "./template.js";
export { templateContext, type TemplateContext, type TemplateEnvironment } from "./context.js";
export { renderOutputs, type OutputFormat, type OutputRequest, type RenderedOutputs } from "./outputs.js";
export { STDOUT_PATH, type OutputFile } from "./output-file.js";
export {
  writeOutputs,
  checkOutputs,
  type WriteResult,
  type CheckResult,
  type StaleOutput,
  type FileOptions,
  type OutputGuard,
  type OrphanSweep,
} from "./write.js";
export { watchAndRebuild, type WatchOptions, type BuildStatus } from "./watch.js";
export { contentHash } from "./hash.js";
export { dotenvAssign, dotenvQuote } from "./dotenv.js";
export { json, pyString, shellQuote, tsString, yamlString } from "./literals.js";
export { selectEnvironments } from "./select.js";
export { toolVersion, TEMPLATES_DIR } from "./paths.js";
