// Builds compiled environments from SQRT text and presets, to run the simulator without a config file.
import { simulate, type SimulateOptions, type Simulation } from "../../src/simulate/index.js";
import type { Step } from "../../src/schema/test-file.js";
import type { CompiledEnvironment } from "../../src/serialize/compiled.js";

export interface EnvOptions {
  presets?: Record<string, unknown>;
  fsm?: Record<string, unknown>;
  mode?: string;
  arch?: string | null;
  language?: "sqrt" | "cedar";
}

function environment(code: string, o: EnvOptions = {}): CompiledEnvironment {
  const policy: Record<string, unknown> = {
    ...(o.mode ? { mode: o.mode } : {}),
    codes: { code, language: o.language ?? "sqrt" },
    ...(o.presets ? { presets: o.presets } : {}),
  };
  return {
    name: "test",
    headers: {},
    sections: { ...(o.arch === null ? {} : { features: { agent_arch: o.arch ?? "dual-llm" } }), policy, ...(o.fsm ? { config: { fsm: o.fsm } } : {}) },
  };
}

export function run(code: string, steps: Step[], o: EnvOptions & SimulateOptions = {}): Simulation {
  return simulate(environment(code, o), steps, o);
}

/** The verdict of each call or branch step. */
export function verdicts(s: Simulation): (string | null)[] {
  return s.steps.filter((x) => x.kind === "call" || x.kind === "branch").map((x) => x.verdict);
}

/** One step's report, asserting it exists. */
export function step(s: Simulation, i: number): Simulation["steps"][number] {
  const r = s.steps[i];
  if (!r) throw new Error(`no step ${i}`);
  return r;
}
