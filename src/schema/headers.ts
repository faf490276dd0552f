/**
 * The three Sequrity header models, one source of truth for validation (via the exported JSON
 * Schemas), serialization order, defaults and the TypeScript types. Field order here IS the wire
 * order (wire-format.md lists fields in the SDK's declaration order).
 */
import * as z from "zod";
import { setOf } from "./sets.js";

const int = () => z.int();
const float = () => z.number();

// ---------------------------------------------------------------- X-Features

export const ClassifierName = z.enum(["pii_redaction", "toxicity_filter", "healthcare_topic_guardrail", "finance_topic_guardrail"]);
export const BlockerName = z.enum(["url_blocker", "file_blocker"]);

export const ContentClassifier = z.strictObject({
  name: ClassifierName,
  threshold: float().min(0).max(1).default(0.5),
  mode: z.string().optional().meta({ description: 'e.g. "normal", "strict", "high sensitivity", "low sensitivity"' }),
}).meta({ id: "ContentClassifier" });

export const ContentBlocker = z.strictObject({
  name: BlockerName,
}).meta({ id: "ContentBlocker" });

export const FeaturesHeader = z
  .strictObject({
    agent_arch: z.enum(["single-llm", "dual-llm"]).optional(),
    content_classifiers: z.array(ContentClassifier).optional(),
    content_blockers: z.array(ContentBlocker).optional(),
  })
  .meta({ title: "X-Features", description: "Architecture, content classifiers and blockers (SDK FeaturesHeader)." });

// ---------------------------------------------------------------- X-Policy

const EnforcementLevel = z.enum(["hard", "soft"]);

export const PolicyCodes = z.strictObject({
  code: z.string().default(""),
  language: z.enum(["sqrt", "cedar"]).default("sqrt"),
}).meta({ id: "PolicyCodes" });

export const BranchingMetaPolicy = z.strictObject({
  mode: z.enum(["allow", "deny"]).default("deny"),
  producers: setOf(z.string()).default([]),
  tags: setOf(z.string()).default([]),
  consumers: setOf(z.string()).default([]),
}).meta({ id: "BranchingMetaPolicy" });

export const PolicyPresets = z.strictObject({
  default_allow: z.boolean().default(true),
  default_allow_enforcement_level: EnforcementLevel.default("soft"),
  enable_non_executable_memory: z.boolean().default(true),
  // The SDK builds this default from the model, so every field of it is filled in too.
  branching_meta_policy: BranchingMetaPolicy.default({ mode: "deny", producers: [], tags: [], consumers: [] }),
  enable_llm_blocked_tag: z.boolean().default(true),
  llm_blocked_tag_enforcement_level: EnforcementLevel.default("hard"),
}).meta({ id: "PolicyPresets" });

export const PolicyHeader = z
  .strictObject({
    mode: z.enum(["standard", "strict", "custom"]).optional(),
    codes: PolicyCodes.optional(),
    auto_gen: z.boolean().optional(),
    fail_fast: z.boolean().optional(),
    presets: PolicyPresets.optional(),
  })
  .meta({ title: "X-Policy", description: "Policy mode, policy code and presets (SDK SecurityPolicyHeader)." });

// ---------------------------------------------------------------- X-Config

const atLeast = (n: number) => int().min(n);

export const InternalTool = z.enum(["parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn"]);

export const FsmConfig = z.strictObject({
  min_num_tools_for_filtering: atLeast(2).optional(),
  clear_session_meta: z.enum(["never", "every_attempt", "every_turn"]).optional(),
  max_n_turns: atLeast(1).optional(),
  history_mismatch_policy: z.enum(["reject", "restart_turn", "continue"]).optional(),
  clear_history_every_n_attempts: atLeast(1).optional(),
  disable_rllm: z.boolean().optional(),
  enable_multistep_planning: z.boolean().optional(),
  enabled_internal_tools: z.array(InternalTool).optional(),
  prune_failed_steps: z.boolean().optional(),
  force_to_cache: z.array(z.string().meta({ description: "A regex pattern." })).optional(),
  max_pllm_steps: atLeast(1).optional(),
  max_pllm_failed_steps: atLeast(1).optional(),
  max_tool_calls_per_step: atLeast(1).optional(),
  reduced_grammar_for_rllm_review: z.union([z.enum(["none", "bool", "text"]), z.boolean()]).optional(),
  retry_on_policy_violation: z.boolean().optional(),
  wrap_tool_result: z.boolean().optional(),
  detect_tool_errors: z.enum(["none", "regex", "llm"]).optional(),
  detect_tool_error_regex_pattern: z.string().optional(),
  detect_tool_error_max_result_length: int().optional(),
  strict_tool_result_parsing: z.boolean().optional(),
  tool_result_transform: z.enum(["none", "codex"]).optional(),
  n_pllm_plans: atLeast(1).optional(),
  pllm_candidate_models: setOf(z.string()).optional(),
  pllm_context_pruning: z.boolean().optional(),
}).meta({ id: "FsmConfig" });

const flavorVersion = {
  flavor: z.string().optional(),
  version: z.string().optional(),
};
const DebugInfoLevel = z.enum(["minimal", "normal", "extra"]);
const StringMap = z.record(z.string(), z.string());

export const PllmPrompt = z.strictObject({
  ...flavorVersion,
  clarify_ambiguous_queries: z.boolean().optional(),
  context_var_visibility: z.enum(["none", "basic-notext", "basic-executable", "all-executable", "all"]).optional(),
  query_inline_roles: z.array(z.enum(["assistant", "tool", "developer", "system"])).optional(),
  query_role_name_overrides: StringMap.optional(),
  query_include_tool_calls: z.boolean().optional(),
  query_include_tool_args: z.boolean().optional(),
  query_include_tool_results: z.boolean().optional(),
  debug_info_level: DebugInfoLevel.optional(),
}).meta({ id: "PllmPrompt" });
export const RllmPrompt = z.strictObject({ ...flavorVersion, debug_info_level: DebugInfoLevel.optional() }).meta({ id: "RllmPrompt" });
export const TllmPrompt = z.strictObject({
  ...flavorVersion,
  add_tool_description: z.boolean().optional(),
  add_tool_input_schema: z.boolean().optional(),
}).meta({ id: "TllmPrompt" });
export const BasicPrompt = z.strictObject({ ...flavorVersion }).meta({ id: "BasicPrompt" });

export const PromptConfig = z.strictObject({
  pllm: PllmPrompt.optional(),
  rllm: RllmPrompt.optional(),
  grllm: BasicPrompt.optional(),
  qllm: BasicPrompt.optional(),
  tllm: TllmPrompt.optional(),
  tagllm: BasicPrompt.optional(),
  policy_llm: BasicPrompt.optional(),
  error_detector_llm: BasicPrompt.optional(),
}).meta({ id: "PromptConfig" });

export const ResponseFormat = z.strictObject({
  strip_response_content: z.boolean().optional(),
  stream_thoughts: z.boolean().optional(),
  include_program: z.boolean().optional(),
  include_policy_check_history: z.boolean().optional(),
  include_namespace_snapshot: z.boolean().optional(),
}).meta({ id: "ResponseFormat" });

export const Reasoning = z.strictObject({
  enabled: z.boolean().default(true),
  effort: z.string().optional(),
  budget: atLeast(1).optional(),
  adaptive: z.boolean().default(false),
}).meta({ id: "Reasoning" });

export const GenerationConfig = z.strictObject({
  frequency_penalty: float().optional(),
  logit_bias: z.record(z.string(), int()).optional().meta({ description: "Token id → bias. Key order is kept." }),
  logprobs: z.boolean().optional(),
  max_completion_tokens: int().optional(),
  presence_penalty: float().optional(),
  seed: int().optional(),
  temperature: float().optional(),
  top_p: float().optional(),
  reasoning: Reasoning.optional(),
}).meta({ id: "GenerationConfig" });

export const LlmConfig = z.strictObject({
  pllm: GenerationConfig.optional(),
  rllm: GenerationConfig.optional(),
  grllm: GenerationConfig.optional(),
  qllm: GenerationConfig.optional(),
  tllm: GenerationConfig.optional(),
  tagllm: GenerationConfig.optional(),
  policy_llm: GenerationConfig.optional(),
  tool_result_error_detector_llm: GenerationConfig.optional(),
}).meta({ id: "LlmConfig" });

export const ConfigHeader = z
  .strictObject({
    fsm: FsmConfig.optional(),
    prompt: PromptConfig.optional(),
    response_format: ResponseFormat.optional(),
    llm: LlmConfig.optional(),
  })
  .meta({ title: "X-Config", description: "Fine-grained engine overrides (SDK FineGrainedConfigHeader)." });

// ---------------------------------------------------------------- types and lookup

export type FeaturesHeader = z.input<typeof FeaturesHeader>;
export type PolicyHeader = z.input<typeof PolicyHeader>;
export type ConfigHeader = z.input<typeof ConfigHeader>;

export const SECTION_SCHEMAS = {
  features: FeaturesHeader,
  policy: PolicyHeader,
  config: ConfigHeader,
} as const;
