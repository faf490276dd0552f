/**
 * sequrity-config as a library: compile a config file into Sequrity headers, render outputs, check
 * policy code and simulate it. The CLI is a thin layer over these same functions.
 */
export { compile, type CompileOptions, type CompileResult, type PolicyCodeSource, type PySections } from "./compile.js";
export {
  definedEnvironments,
  effectiveSections,
  valueSources,
  policySource,
  type DefinedEnvironment,
  type ValueSource,
  type WrittenValue,
} from "./inspect.js";
export type { CompiledConfig, CompiledEnvironment, HeaderName, SectionName } from "./serialize/compiled.js";
export { HEADER_NAMES, SECTION_NAMES } from "./serialize/compiled.js";
export { formatDiagnostic, formatDiagnostics, DiagnosticError, type Diagnostic, type SourceLocation } from "./diagnostics/index.js";
export { renderOutputs, writeOutputs, checkOutputs, type OutputFile, type OutputRequest } from "./emit/index.js";
export { checkPolicyCode, formatSqrt, minifySqrt, parseSqrt, type PolicyIssue } from "./check/index.js";
export { FeaturesHeader, PolicyHeader, ConfigHeader } from "./schema/headers.js";
export { buildJsonSchemas } from "./schema/json-schema.js";
export { pyDumps, type PyInput, type DumpOptions } from "./serialize/pyjson.js";
export { PyFloat, type PyValue, type PyMap } from "./serialize/pyvalue.js";
export {
  simulate,
  runPolicyTests,
  reportJson,
  reportText,
  reportJunit,
  compareVerdicts,
  type SimulateOptions,
  type Simulation,
  type PolicyTestOptions,
  type PolicyTestRun,
  type PolicyTestSummary,
  type CaseResult,
  type StepReport,
  type DecidedByReport,
  type PrintedMeta,
  type Verdict,
} from "./simulate/index.js";
export { TestFile, type Step as TestStep, type TestCase } from "./schema/test-file.js";
export { defineConfig, type SequrityConfig, type SequritySections, type SequrityEnvironmentBlock, type LayerValue } from "./schema/config-type.js";
