/**
 * The three Sequrity header models, one source of truth for validation (via the exported JSON
 * Schemas), serialization order, defaults and the TypeScript types. Field order here IS the wire
 * order (wire-format.md lists fields in the SDK's declaration order).
 */
import * as z from "zod";
import { setOf } from "./sets.js";

const int = () => z.int();

/** Keys of map-valued fields: any text but a leading `$`, which marks the tool's own keys (directives). */
export const MAP_KEY = /^(?!\$)/;
const MapKey = z.string().regex(MAP_KEY);
const float = () => z.number();

// Every field carries a description (what it does, and its default), exported into the JSON
// Schemas so that editors explain each key on hover. It goes on the outermost wrapper
// (`.optional().describe(...)`), so shared models stay one `$defs` entry. "Unset" means the key is
// left out of the header and the service applies its own default.

// ---------------------------------------------------------------- X-Features

export const ClassifierName = z.enum(["pii_redaction", "toxicity_filter", "healthcare_topic_guardrail", "finance_topic_guardrail"]);
export const BlockerName = z.enum(["url_blocker", "file_blocker"]);

export const ContentClassifier = z
  .strictObject({
    name: ClassifierName.describe(
      "Which classifier: pii_redaction (personal data), toxicity_filter (toxic or abusive content), healthcare_topic_guardrail or finance_topic_guardrail (topics that need professional advice). Required.",
    ),
    threshold: float().min(0).max(1).default(0.5).describe("Detection threshold from 0.0 to 1.0. Default: 0.5 (always sent)."),
    // The SDK's field is optional (`str | None`): null is accepted and means absent.
    mode: z
      .string()
      .nullable()
      .optional()
      .describe(
        'A named sensitivity that overrides the threshold, e.g. "normal", "strict", "high sensitivity", "low sensitivity". Default: unset; null means unset.',
      ),
  })
  .meta({ id: "ContentClassifier", description: "An LLM-based classifier run on tool arguments (before a call) and tool results (after it)." });

export const ContentBlocker = z
  .strictObject({
    name: BlockerName.describe("Which blocker: url_blocker (URLs) or file_blocker (file access). Required."),
  })
  .meta({ id: "ContentBlocker", description: "A blocker that redacts or masks content in tool arguments and results." });

export const FeaturesHeader = z
  .strictObject({
    agent_arch: z
      .enum(["single-llm", "dual-llm"])
      .optional()
      .describe(
        "Agent architecture: single-llm (one model plans and acts) or dual-llm (separate planning and execution models, with tag tracking). Default: unset.",
      ),
    content_classifiers: z.array(ContentClassifier).optional().describe("Content classifiers, sent in this order. Default: unset (none)."),
    content_blockers: z.array(ContentBlocker).optional().describe("Content blockers, sent in this order. Default: unset (none)."),
  })
  .meta({ title: "X-Features", description: "Architecture, content classifiers and blockers (SDK FeaturesHeader)." });

// ---------------------------------------------------------------- X-Policy

const EnforcementLevel = z.enum(["hard", "soft"]);

export const PolicyCodes = z
  .strictObject({
    code: z.string().default("").describe('The policy program as one string. Default: "" (no custom rules).'),
    language: z.enum(["sqrt", "cedar"]).default("sqrt").describe('Language of `code`: sqrt or cedar. Default: "sqrt" (always sent).'),
  })
  .meta({ id: "PolicyCodes", description: "The policy code and its language." });

const setOfStrings = (what: string) => setOf(z.string()).default([]).describe(`${what} A set: sent sorted, without duplicates. Default: [].`);

export const BranchingMetaPolicy = z
  .strictObject({
    mode: z.enum(["allow", "deny"]).default("deny").describe('How the lists below are read: allow (only these) or deny (all but these). Default: "deny".'),
    producers: setOfStrings("Producers the control-flow relaxer treats per `mode` (custom mode)."),
    tags: setOfStrings("Tags the control-flow relaxer treats per `mode` (custom mode)."),
    consumers: setOfStrings("Consumers the control-flow relaxer treats per `mode` (custom mode)."),
  })
  .meta({
    id: "BranchingMetaPolicy",
    description: "Control-flow meta policy for branching tools. Unknown keys are errors here (the SDK drops them silently).",
  });

export const PolicyPresets = z
  .strictObject({
    default_allow: z.boolean().default(true).describe("Whether a tool call that no rule matches is allowed (true) or denied (false). Default: true."),
    default_allow_enforcement_level: EnforcementLevel.default("soft").describe('Enforcement level of the default-allow rule: hard or soft. Default: "soft".'),
    enable_non_executable_memory: z
      .boolean()
      .default(true)
      .describe("Whether every tool result gets the non-executable tag by default (internal policy). Default: true."),
    // The SDK builds this default from the model, so every field of it is filled in too.
    branching_meta_policy: BranchingMetaPolicy.default({ mode: "deny", producers: [], tags: [], consumers: [] }).describe(
      'Control-flow meta policy for branching tools. Default: {mode: "deny"} with empty lists (always sent).',
    ),
    enable_llm_blocked_tag: z
      .boolean()
      .default(true)
      .describe("Whether parse_with_ai calls are denied when an argument carries the LLM-blocked tag (internal policy). Default: true."),
    llm_blocked_tag_enforcement_level: EnforcementLevel.default("hard").describe(
      'Enforcement level of the LLM-blocked-tag rule: hard or soft. Default: "hard".',
    ),
  })
  .meta({ id: "PolicyPresets", description: "Internal policy presets. When present, every field is sent, defaults filled in." });

export const PolicyHeader = z
  .strictObject({
    mode: z
      .enum(["standard", "strict", "custom"])
      .optional()
      .describe('Security mode: standard, strict (extra constraints) or custom. Default: unset (the service uses "standard").'),
    codes: PolicyCodes.optional().describe("The policy program and its language. Default: unset (no custom rules)."),
    auto_gen: z
      .boolean()
      .optional()
      .describe("Whether policies are generated from tool metadata and natural-language descriptions. Default: unset (the service uses false)."),
    fail_fast: z.boolean().optional().describe("Whether checking stops at the first hard denial. Default: unset (the service uses true)."),
    presets: PolicyPresets.optional().describe("Internal policy presets; when given, all their fields are sent. Default: unset."),
  })
  .meta({ title: "X-Policy", description: "Policy mode, policy code and presets (SDK SecurityPolicyHeader)." });

// ---------------------------------------------------------------- X-Config

const atLeast = (n: number) => int().min(n);

export const InternalTool = z.enum(["parse_with_ai", "verify_hypothesis", "set_policy", "complete_turn"]);

const flag = (text: string) => z.boolean().optional().describe(text);
const unsetMeans = (serverDefault: string) => `Default: unset (the service uses ${serverDefault}).`;

export const FsmConfig = z
  .strictObject({
    min_num_tools_for_filtering: atLeast(2)
      .optional()
      .describe(`Fewest registered tools for which the tool-filtering LLM step runs; at least 2. ${unsetMeans("10")}`),
    clear_session_meta: z
      .enum(["never", "every_attempt", "every_turn"])
      .optional()
      .describe(`When session meta information is cleared: never, every_attempt (each planner attempt) or every_turn. ${unsetMeans('"never"')}`),
    max_n_turns: atLeast(1).optional().describe("Most turns a session may have; at least 1. Default: unset (the service picks one per endpoint)."),
    history_mismatch_policy: z
      .enum(["reject", "restart_turn", "continue"])
      .optional()
      .describe(
        "Dual-LLM, stateless mode: what happens when incoming messages differ from the stored history. reject (error), restart_turn (cut history to the last consistent point) or continue (take the caller's version). Default: unset.",
      ),
    clear_history_every_n_attempts: atLeast(1)
      .optional()
      .describe("Dual-LLM, single-step mode: drop the failed-step history every N attempts, to save tokens; at least 1. Default: unset."),
    disable_rllm: flag(`Dual-LLM: skip the response LLM (RLLM) review step. ${unsetMeans("true")}`),
    enable_multistep_planning: flag(`Dual-LLM: each step builds on the previous ones (true) or each attempt starts afresh (false). ${unsetMeans("false")}`),
    enabled_internal_tools: z
      .array(InternalTool)
      .optional()
      .describe(
        "Dual-LLM: internal tools the planner may call (parse_with_ai, verify_hypothesis, set_policy, complete_turn). Default: unset (the service picks per endpoint).",
      ),
    prune_failed_steps: flag(`Dual-LLM, multi-step mode: remove failed steps from the history once a turn completes. ${unsetMeans("true")}`),
    force_to_cache: z
      .array(z.string().describe("A regex pattern matched against tool ids."))
      .optional()
      .describe(`Dual-LLM: regex patterns of tool ids whose results are always cached. ${unsetMeans("[]")}`),
    max_pllm_steps: atLeast(1).optional().describe("Dual-LLM: most planner steps per turn; at least 1. Default: unset."),
    max_pllm_failed_steps: atLeast(1).optional().describe("Dual-LLM: most failed planner steps per turn; at least 1. Default: unset."),
    max_tool_calls_per_step: atLeast(1).optional().describe("Dual-LLM: most tool calls per planner attempt; at least 1. Default: unset (no limit)."),
    reduced_grammar_for_rllm_review: z
      .union([z.enum(["none", "bool", "text"]), z.boolean()])
      .optional()
      .describe(
        `Dual-LLM: how the review LLM's output is passed back to the planner. none (as written), bool (success/failure only) or text (paraphrased through a reduced grammar); true means "text", false means "none". ${unsetMeans('"text"')}`,
      ),
    retry_on_policy_violation: flag(`Dual-LLM: let the planner retry after a policy violation. ${unsetMeans("false")}`),
    wrap_tool_result: flag("Dual-LLM: wrap tool results in Ok/Err values. Default: unset."),
    detect_tool_errors: z
      .enum(["none", "regex", "llm"])
      .optional()
      .describe("Dual-LLM: how errors in tool results are detected: none, regex (detect_tool_error_regex_pattern) or llm. Default: unset."),
    detect_tool_error_regex_pattern: z
      .string()
      .optional()
      .describe('Dual-LLM: the regex that marks a tool result as an error when detect_tool_errors is "regex". Default: unset.'),
    detect_tool_error_max_result_length: int()
      .optional()
      .describe("Dual-LLM: longest tool result (in characters) examined for errors; longer ones are truncated. Default: unset (no limit)."),
    strict_tool_result_parsing: flag(
      "Dual-LLM: parse a tool result as JSON only when the tool declares an output schema (true), or always try (false). Default: unset.",
    ),
    tool_result_transform: z
      .enum(["none", "codex"])
      .optional()
      .describe(
        "Dual-LLM: transform applied to tool results before error detection: none, or codex (strip the Codex CLI metadata prefix, keep exit code and output). Default: unset.",
      ),
    n_pllm_plans: atLeast(1)
      .optional()
      .describe(`Dual-LLM: plans generated per step; above 1, they are made concurrently and a selection LLM picks one. At least 1. ${unsetMeans("1")}`),
    pllm_candidate_models: setOf(z.string())
      .optional()
      .describe(
        "Dual-LLM: model names assigned round-robin to the plans of n_pllm_plans. A set: sent sorted, without duplicates. Default: unset (the request's model).",
      ),
    pllm_context_pruning: flag(`Dual-LLM: hide context variable values from every planner step but the current one. ${unsetMeans("true")}`),
  })
  .meta({ id: "FsmConfig", description: "Engine (state machine) settings. Fields marked Dual-LLM are ignored by single-llm sessions." });

const flavorVersion = {
  flavor: z.string().optional().describe('Prompt template variant, e.g. "universal". Default: unset.'),
  version: z.string().optional().describe("Prompt template version, used with flavor to pick the template. Default: unset."),
};
const DebugInfoLevel = z.enum(["minimal", "normal", "extra"]);
const StringMap = z.record(MapKey, z.string());

export const PllmPrompt = z
  .strictObject({
    ...flavorVersion,
    clarify_ambiguous_queries: flag("Whether the planner may ask for clarification of an ambiguous query. Default: unset."),
    context_var_visibility: z
      .enum(["none", "basic-notext", "basic-executable", "all-executable", "all"])
      .optional()
      .describe(
        "Which context variables the planner's prompt shows: none, basic-notext (basic types, no text), basic-executable (basic types and executable memory), all-executable, or all. Default: unset.",
      ),
    query_inline_roles: z
      .array(z.enum(["assistant", "tool", "developer", "system"]))
      .optional()
      .describe("Roles whose messages are inlined into the user query: assistant, tool, developer, system. Default: unset."),
    query_role_name_overrides: StringMap.optional().describe(
      "Role renames in the inlined query, e.g. {assistant: developer}. Key order is kept. Default: unset.",
    ),
    query_include_tool_calls: flag("Whether the inlined query includes upstream tool calls. Default: unset."),
    query_include_tool_args: flag("Whether the inlined query includes the arguments of upstream tool calls. Default: unset."),
    query_include_tool_results: flag("Whether the inlined query includes the results of upstream tool calls. Default: unset."),
    debug_info_level: DebugInfoLevel.optional().describe(
      `Detail of debug and execution information in the planner's prompt: minimal, normal or extra. ${unsetMeans('"normal"')}`,
    ),
  })
  .meta({ id: "PllmPrompt", description: "Prompt settings of the planning LLM." });
export const RllmPrompt = z
  .strictObject({
    ...flavorVersion,
    debug_info_level: DebugInfoLevel.optional().describe(
      "Detail of debug and execution information in the review LLM's prompt: minimal, normal or extra. Default: unset.",
    ),
  })
  .meta({ id: "RllmPrompt", description: "Prompt settings of the review LLM." });
export const TllmPrompt = z
  .strictObject({
    ...flavorVersion,
    add_tool_description: flag("Whether the tool-filtering prompt includes tool descriptions. Default: unset."),
    add_tool_input_schema: flag("Whether the tool-filtering prompt includes tools' input JSON Schemas. Default: unset."),
  })
  .meta({ id: "TllmPrompt", description: "Prompt settings of the tool-formulating LLM." });
export const BasicPrompt = z.strictObject({ ...flavorVersion }).meta({ id: "BasicPrompt", description: "Prompt template choice of one LLM." });

export const PromptConfig = z
  .strictObject({
    pllm: PllmPrompt.optional().describe("Planning LLM. Default: unset."),
    rllm: RllmPrompt.optional().describe("Review LLM. Default: unset."),
    grllm: BasicPrompt.optional().describe("GRLLM. Default: unset."),
    qllm: BasicPrompt.optional().describe("Query LLM. Default: unset."),
    tllm: TllmPrompt.optional().describe("Tool-formulating LLM. Default: unset."),
    tagllm: BasicPrompt.optional().describe("Tag LLM. Default: unset."),
    policy_llm: BasicPrompt.optional().describe("Policy LLM. Default: unset."),
    error_detector_llm: BasicPrompt.optional().describe("Error-detector LLM. Default: unset."),
  })
  .meta({ id: "PromptConfig", description: "Prompt settings per LLM role." });

export const ResponseFormat = z
  .strictObject({
    strip_response_content: flag("Return only the essential result as plain text, without metadata. Default: unset."),
    stream_thoughts: flag("Stream the model's thinking in the response. Default: unset."),
    include_program: flag("Include the planner's generated program in the response. Default: unset."),
    include_policy_check_history: flag("Include policy check results even when nothing was violated. Default: unset."),
    include_namespace_snapshot: flag("Include a snapshot of every variable after the program ran. Default: unset."),
  })
  .meta({ id: "ResponseFormat", description: "What dual-LLM responses contain." });

export const Reasoning = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Whether reasoning (extended thinking) is on. Default: true (always sent)."),
    effort: z.string().optional().describe('Reasoning effort, e.g. "low", "medium", "high". Default: unset.'),
    budget: atLeast(1).optional().describe("Most reasoning tokens; at least 1. Default: unset."),
    adaptive: z.boolean().default(false).describe("Let the model decide whether to think at length. Default: false (always sent)."),
  })
  .meta({ id: "Reasoning", description: "Reasoning settings. When present, enabled and adaptive are always sent." });

export const GenerationConfig = z
  .strictObject({
    frequency_penalty: float().optional().describe("Penalty on tokens by how often they already appeared (usually -2.0 to 2.0). Default: unset."),
    logit_bias: z.record(MapKey, int()).optional().describe("Token id → bias added to its likelihood. Key order is kept. Default: unset."),
    logprobs: flag("Whether log probabilities of the output tokens are returned. Default: unset."),
    max_completion_tokens: int().optional().describe("Most tokens generated. Default: unset."),
    presence_penalty: float().optional().describe("Penalty on tokens that already appeared (usually -2.0 to 2.0). Default: unset."),
    seed: int().optional().describe("Seed for deterministic sampling. Default: unset."),
    temperature: float().optional().describe("Sampling temperature (usually 0.0 to 2.0); an integer is sent as a float (0 → 0.0). Default: unset."),
    top_p: float().optional().describe("Nucleus sampling threshold. Default: unset."),
    reasoning: Reasoning.optional().describe("Reasoning (extended thinking) settings. Default: unset."),
  })
  .meta({ id: "GenerationConfig", description: "Generation settings of one LLM; only the fields given change." });

export const LlmConfig = z
  .strictObject({
    pllm: GenerationConfig.optional().describe("Planning LLM. Default: unset."),
    rllm: GenerationConfig.optional().describe("Review LLM. Default: unset."),
    grllm: GenerationConfig.optional().describe("Grammar-constrained LLM. Default: unset."),
    qllm: GenerationConfig.optional().describe("Query LLM. Default: unset."),
    tllm: GenerationConfig.optional().describe("Tool-filtering LLM. Default: unset."),
    tagllm: GenerationConfig.optional().describe("Tag LLM. Default: unset."),
    policy_llm: GenerationConfig.optional().describe("Policy LLM. Default: unset."),
    tool_result_error_detector_llm: GenerationConfig.optional().describe("Tool-result error-detector LLM. Default: unset."),
  })
  .meta({ id: "LlmConfig", description: "Generation settings per LLM role." });

export const ConfigHeader = z
  .strictObject({
    fsm: FsmConfig.optional().describe("Engine (state machine) settings. Default: unset."),
    prompt: PromptConfig.optional().describe("Prompt settings per LLM role. Default: unset."),
    response_format: ResponseFormat.optional().describe("What dual-LLM responses contain. Default: unset."),
    llm: LlmConfig.optional().describe("Generation settings (temperature, reasoning...) per LLM role. Default: unset."),
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
