/**
 * Session metadata across turns and attempts. `X-Config.fsm.clear_session_meta` resets it to the
 * defaults (producers {}, consumers universal, tags {}), not to the case's starting session:
 * `never` (also when absent), `every_turn` at each turn after the first, `every_attempt` at each
 * attempt and each turn after the first. A reset makes unknown fields known again.
 */
import type { Meta } from "./evaluate.js";
import { MetaSet } from "./sets.js";

export type ClearSessionMeta = "never" | "every_turn" | "every_attempt";

export function defaultMeta(): Meta {
  return { producers: MetaSet.EMPTY, consumers: MetaSet.UNIVERSAL, tags: MetaSet.EMPTY };
}

/** Whether a `turn` or `attempt` step resets the session under this setting. */
export function resets(mode: ClearSessionMeta, step: "turn" | "attempt"): boolean {
  return mode === "every_attempt" || (mode === "every_turn" && step === "turn");
}
