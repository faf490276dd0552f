/**
 * What the SDK's builders return (wire-format.md, "The SDK's builders"): `$preset: NAME` in a
 * section expands to these before the section's own keys deep-merge over them.
 */
import { PolicyPresets, type ConfigHeader, type FeaturesHeader, type PolicyHeader } from "./headers.js";

export const PRESET_NAMES = ["single-llm", "dual-llm"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const emptySqrt = { code: "", language: "sqrt" } as const;

/**
 * A preset is the builder's serialized result: every field present there is set, so it wins over
 * earlier layers. The policy builders pass every `presets` field (dual-llm explicitly; single-llm
 * leaves two to the model's defaults, which the result still carries), so all of them are set.
 */
const allPresetDefaults = () => PolicyPresets.parse({});

export const PRESETS: {
  features: Record<PresetName, FeaturesHeader>;
  policy: Record<PresetName, PolicyHeader>;
  config: Record<PresetName, ConfigHeader>;
} = {
  features: {
    "single-llm": { agent_arch: "single-llm" },
    "dual-llm": { agent_arch: "dual-llm" },
  },
  policy: {
    "dual-llm": { mode: "standard", codes: { ...emptySqrt }, auto_gen: false, presets: allPresetDefaults() },
    "single-llm": {
      mode: "standard",
      codes: { ...emptySqrt },
      auto_gen: false,
      presets: { ...allPresetDefaults(), enable_non_executable_memory: false },
    },
  },
  config: {
    "single-llm": { fsm: { min_num_tools_for_filtering: 10, clear_session_meta: "never", max_n_turns: 50 } },
    "dual-llm": { fsm: { min_num_tools_for_filtering: 10, clear_session_meta: "never", max_n_turns: 5, disable_rllm: true } },
  },
};
