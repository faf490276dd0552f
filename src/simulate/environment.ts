/**
 * What the simulator reads from a compiled environment: the SQRT program, the internal-policy
 * presets (the SDK's defaults where absent), `clear_session_meta`, branching, and the settings it
 * does not simulate (D-open), which become notes.
 */
import type { SourceLocation } from "../diagnostics/index.js";
import type { CompiledEnvironment } from "../serialize/compiled.js";
import type { BranchingPolicy } from "./branching.js";
import { programOf, type Program } from "./program.js";
import type { ClearSessionMeta } from "./session.js";

export interface PreparedEnvironment {
  name: string;
  /** Why the environment is not simulated (single-LLM); its cases are reported as skipped. */
  skipped?: string;
  program: Program | undefined;
  defaultAllow: boolean;
  hardDefault: boolean;
  nonExecutableMemory: boolean;
  llmBlockedTag: false | "hard" | "soft";
  /** Null outside `policy.mode: custom`, where branching is not checked. */
  branching: BranchingPolicy | null;
  clearSessionMeta: ClearSessionMeta;
  /** Settings reported once per run as not simulated, and other remarks. */
  notes: string[];
  /** Where offset N of the policy code was written, when known. */
  locate: ((offset: number) => SourceLocation) | undefined;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

export interface PrepareOptions {
  /** The policy code as checked (before minification) and where each offset of it was written. */
  source?: { code: string; locate(offset: number): SourceLocation };
}

export function prepareEnvironment(env: CompiledEnvironment, options: PrepareOptions = {}): PreparedEnvironment {
  const features = obj(env.sections.features);
  const policy = obj(env.sections.policy);
  const presets = obj(policy.presets);
  const fsm = obj(obj(env.sections.config).fsm);
  const codes = obj(policy.codes);
  const notes: string[] = [];
  const arch = features.agent_arch;
  if (arch === undefined) notes.push("no agent_arch: simulated as Dual-LLM");
  if (policy.mode !== undefined)
    notes.push(policy.mode === "custom" ? "policy.mode custom: simulated for branching_meta_policy only" : `policy.mode ${String(policy.mode)}: not simulated`);
  if (policy.auto_gen === true) notes.push("auto_gen: true: the service may add generated policies, which are not simulated");
  if (policy.fail_fast !== undefined) notes.push(`fail_fast: ${String(policy.fail_fast)}: not simulated`);
  if (fsm.retry_on_policy_violation !== undefined) notes.push(`retry_on_policy_violation: ${String(fsm.retry_on_policy_violation)}: not simulated`);
  for (const key of ["content_classifiers", "content_blockers"]) {
    const names = Array.isArray(features[key]) ? (features[key] as unknown[]).map((c) => String(obj(c).name)) : [];
    if (names.length > 0) notes.push(`${key} (${names.join(", ")}): not simulated`);
  }
  const code = typeof codes.code === "string" ? codes.code : "";
  let program: Program | undefined;
  let skipped = arch === "single-llm" ? "single-llm environments are not simulated (single-LLM has no metadata propagation)" : undefined;
  if (codes.language === "cedar") notes.push("Cedar policy code: not simulated (only the presets and defaults decide)");
  else {
    const p = programOf(code);
    // Code the compiler checked parses; code `$overrides` put there unchecked may not.
    if ("error" in p) skipped ??= `its policy code does not parse (${p.error}), so nothing about it can be simulated`;
    else {
      program = p;
      notes.push(...p.notes);
    }
  }
  const branching = obj(presets.branching_meta_policy);
  const level = (v: unknown, fallback: "hard" | "soft") => (v === "hard" || v === "soft" ? v : fallback);
  return {
    name: env.name,
    ...(skipped ? { skipped } : {}),
    program,
    defaultAllow: presets.default_allow !== false,
    hardDefault: level(presets.default_allow_enforcement_level, "soft") === "hard",
    nonExecutableMemory: presets.enable_non_executable_memory !== false,
    llmBlockedTag: presets.enable_llm_blocked_tag === false ? false : level(presets.llm_blocked_tag_enforcement_level, "hard"),
    branching:
      policy.mode === "custom"
        ? {
            mode: branching.mode === "allow" ? "allow" : "deny",
            producers: strings(branching.producers),
            consumers: strings(branching.consumers),
            tags: strings(branching.tags),
          }
        : null,
    clearSessionMeta: fsm.clear_session_meta === "every_turn" || fsm.clear_session_meta === "every_attempt" ? fsm.clear_session_meta : "never",
    notes,
    locate: options.source && options.source.code === code ? memoized(options.source.locate) : undefined,
  };
}

/** Locating an offset in a YAML block scalar walks the text: each place is located once. */
function memoized(locate: (offset: number) => SourceLocation): (offset: number) => SourceLocation {
  const seen = new Map<number, SourceLocation>();
  return (offset) => {
    let at = seen.get(offset);
    if (!at) seen.set(offset, (at = locate(offset)));
    return at;
  };
}
