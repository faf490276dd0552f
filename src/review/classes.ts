/**
 * The classification tables of security-review.md, kept as data: one entry per row, in a form a
 * reviewer can hold against the spec. Everything that decides a class is here; the comparers
 * (fields.ts, rules.ts) only find the changes.
 */
import { PyFloat, type PyValue } from "../serialize/pyvalue.js";
import type { ChangeClass, RuleChangeKind, Verdict } from "./model.js";

/** One changed header field, as the table needs to see it. `undefined`: absent from the header. */
export interface FieldFacts {
  /** Wire path segments; a named list item is its name: `features.content_classifiers.pii_redaction.threshold`. */
  path: readonly string[];
  before: PyValue | undefined;
  after: PyValue | undefined;
  /** Some `$overrides`, on either side, writes this field or a field above or below it. */
  overridden: boolean;
  /** Another field's wire value on one side (rows that depend on a neighbour, e.g. `default_allow`). */
  valueAt(side: "before" | "after", path: string): PyValue | undefined;
}

export interface FieldRow {
  /** The row's first column in the spec. */
  field: string;
  covers(f: FieldFacts): boolean;
  /** The class; undefined when the row does not say (then `classifyField` decides, see there). */
  classify(f: FieldFacts): ChangeClass | undefined;
}

/** Matches wire paths; `*` stands for one segment (a list item's name). */
function paths(...patterns: string[]): (f: FieldFacts) => boolean {
  const split = patterns.map((p) => p.split("."));
  return (f) => split.some((p) => p.length === f.path.length && p.every((s, i) => s === "*" || s === f.path[i]));
}

/** `String(value)` of a scalar, for looking it up in a scale; undefined for absent values and containers. */
function word(v: PyValue | undefined): string | undefined {
  if (v === undefined || v === null || typeof v === "object") return undefined;
  return String(v);
}

/**
 * A field whose values are ordered from loosest (rank 0) to tightest. A move up is tightening, a
 * move down weakening, a move between equal ranks needs review. From absent (the value stored for
 * the API key, unknown here), a move to the tightest value is tightening and to the loosest weakening.
 */
function scale(ranks: Record<string, number>): (f: FieldFacts) => ChangeClass | undefined {
  const values = Object.values(ranks);
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return (f) => {
    const a = ranks[word(f.after) ?? ""];
    if (a === undefined) return undefined;
    if (f.before === undefined) return a === max ? "tightening" : a === min ? "weakening" : undefined;
    const b = ranks[word(f.before) ?? ""];
    if (b === undefined || a === b) return undefined;
    return a > b ? "tightening" : "weakening";
  };
}

/** An item of a named list: present only after is `added`, present only before is `removed`. */
function item(added: ChangeClass, removed: ChangeClass): (f: FieldFacts) => ChangeClass | undefined {
  return (f) => (f.before === undefined ? added : f.after === undefined ? removed : undefined);
}

/** A named list itself, shown only when it appears or disappears with no items: absent → `[]` drops whatever the API key had. */
function emptyList(f: FieldFacts): ChangeClass | undefined {
  return f.before === undefined && Array.isArray(f.after) && f.after.length === 0 ? "weakening" : undefined;
}

function number(v: PyValue | undefined): number | undefined {
  return v instanceof PyFloat ? v.value : typeof v === "number" ? v : undefined;
}

const always = (c: ChangeClass) => (): ChangeClass => c;

/** In mode `deny` on both sides, removing a listed name lets more through; adding one blocks more. */
function branchingList(f: FieldFacts): ChangeClass | undefined {
  const mode = "policy.presets.branching_meta_policy.mode";
  if (f.valueAt("before", mode) !== "deny" || f.valueAt("after", mode) !== "deny") return "review";
  const b = new Set(Array.isArray(f.before) ? f.before.map(word) : []);
  const a = new Set(Array.isArray(f.after) ? f.after.map(word) : []);
  if ([...b].some((x) => !a.has(x))) return "weakening";
  return [...a].some((x) => !b.has(x)) ? "tightening" : undefined;
}

const OVERRIDES: FieldRow = { field: "$overrides anything", covers: (f) => f.overridden, classify: always("review") };
const OTHER: FieldRow = { field: "any other field", covers: () => true, classify: always("neutral") };

/**
 * The field table. `$overrides` comes first because it decides whatever the field (an override
 * is not validated, so no row's reasoning holds for it); "any other field" comes last.
 */
export const FIELD_ROWS: readonly FieldRow[] = [
  OVERRIDES,
  { field: "features.agent_arch", covers: paths("features.agent_arch"), classify: scale({ "single-llm": 0, "dual-llm": 1 }) },
  {
    field: "features.content_classifiers",
    covers: paths(
      "features.content_classifiers",
      "features.content_classifiers.*",
      "features.content_classifiers.*.threshold",
      "features.content_classifiers.*.mode",
    ),
    classify: (f) => {
      if (f.path.length === 2) return emptyList(f);
      if (f.path.length === 3) return item("tightening", "weakening")(f);
      if (f.path[3] === "mode") return "review";
      const [b, a] = [number(f.before), number(f.after)];
      return b === undefined || a === undefined || a === b ? undefined : a > b ? "weakening" : "tightening";
    },
  },
  {
    field: "features.content_blockers",
    covers: paths("features.content_blockers", "features.content_blockers.*"),
    classify: (f) => (f.path.length === 2 ? emptyList(f) : item("tightening", "weakening")(f)),
  },
  { field: "policy.mode", covers: paths("policy.mode"), classify: scale({ standard: 0, custom: 0, strict: 1 }) },
  // The code itself is compared rule by rule (rules.ts); it is a field change only when that is impossible (Cedar, overridden code).
  { field: "policy.codes", covers: paths("policy.codes", "policy.codes.language", "policy.codes.code"), classify: always("review") },
  { field: "policy.auto_gen", covers: paths("policy.auto_gen"), classify: always("review") },
  { field: "policy.fail_fast", covers: paths("policy.fail_fast"), classify: scale({ false: 0, true: 1 }) },
  { field: "policy.presets.default_allow", covers: paths("policy.presets.default_allow"), classify: scale({ true: 0, false: 1 }) },
  {
    field: "policy.presets.default_allow_enforcement_level",
    covers: paths("policy.presets.default_allow_enforcement_level"),
    classify: (f) => {
      const allow = f.valueAt("after", "policy.presets.default_allow");
      if (allow === false) return "neutral";
      return allow === true ? scale({ hard: 0, soft: 1 })(f) : undefined;
    },
  },
  {
    field: "policy.presets.enable_non_executable_memory",
    covers: paths("policy.presets.enable_non_executable_memory"),
    classify: scale({ false: 0, true: 1 }),
  },
  {
    field: "policy.presets.branching_meta_policy",
    covers: paths(
      "policy.presets.branching_meta_policy.mode",
      "policy.presets.branching_meta_policy.producers",
      "policy.presets.branching_meta_policy.tags",
      "policy.presets.branching_meta_policy.consumers",
    ),
    classify: (f) => (f.path[3] === "mode" ? scale({ allow: 0, deny: 1 })(f) : branchingList(f)),
  },
  { field: "policy.presets.enable_llm_blocked_tag", covers: paths("policy.presets.enable_llm_blocked_tag"), classify: scale({ false: 0, true: 1 }) },
  {
    field: "policy.presets.llm_blocked_tag_enforcement_level",
    covers: paths("policy.presets.llm_blocked_tag_enforcement_level"),
    classify: scale({ soft: 0, hard: 1 }),
  },
  { field: "config.fsm.clear_session_meta", covers: paths("config.fsm.clear_session_meta"), classify: always("review") },
  { field: "config.fsm.enabled_internal_tools", covers: paths("config.fsm.enabled_internal_tools"), classify: always("review") },
  { field: "config.fsm.retry_on_policy_violation", covers: paths("config.fsm.retry_on_policy_violation"), classify: always("review") },
  {
    field: "config.response_format.include_program, include_policy_check_history, include_namespace_snapshot",
    covers: paths(
      "config.response_format.include_program",
      "config.response_format.include_policy_check_history",
      "config.response_format.include_namespace_snapshot",
    ),
    classify: scale({ true: 0, false: 1 }),
  },
  OTHER,
];

/**
 * The class of a field change: the first row that covers it decides. When a row does not say,
 * the change needs review. A field that disappears is never neutral: the service then falls back
 * to the value stored for the API key, so it is review unless its row says worse.
 */
export function classifyField(f: FieldFacts): ChangeClass {
  const row = FIELD_ROWS.find((r) => r.covers(f)) ?? OTHER;
  const c = row.classify(f) ?? "review";
  return f.after === undefined && f.before !== undefined && c === "neutral" ? "review" : c;
}

/** One policy-rule change, as the rules table needs to see it. */
export interface RuleFacts {
  change: RuleChangeKind;
  outcome?: "allow" | "deny";
  /** For `enforcement`: `hard` (must) or `soft` (should) on each side. */
  from?: "hard" | "soft";
  to?: "hard" | "soft";
}

export interface RuleRow {
  /** The row's first column in the spec. */
  row: string;
  covers(f: RuleFacts): boolean;
  class: ChangeClass;
}

const is =
  (change: RuleChangeKind, outcome?: "allow" | "deny") =>
  (f: RuleFacts): boolean =>
    f.change === change && (outcome === undefined || f.outcome === outcome);

const enforcement =
  (deny: [string, string], allow: [string, string]) =>
  (f: RuleFacts): boolean =>
    f.change === "enforcement" && [f.from, f.to].join() === (f.outcome === "deny" ? deny : allow).join();

/** The rules table. Comments, doc comments, order and formatting are never changes (rules.ts does not see them). */
export const RULE_ROWS: readonly RuleRow[] = [
  { row: "a deny rule removed", covers: is("removed", "deny"), class: "weakening" },
  { row: "a deny rule's condition changed", covers: is("condition", "deny"), class: "review" },
  { row: "an allow rule's condition changed", covers: is("condition", "allow"), class: "review" },
  { row: "a deny rule added", covers: is("added", "deny"), class: "tightening" },
  { row: "an allow rule added", covers: is("added", "allow"), class: "weakening" },
  { row: "an allow rule removed", covers: is("removed", "allow"), class: "tightening" },
  { row: "hard → soft on a deny, soft → hard on an allow", covers: enforcement(["hard", "soft"], ["soft", "hard"]), class: "weakening" },
  { row: "soft → hard on a deny, hard → soft on an allow", covers: enforcement(["soft", "hard"], ["hard", "soft"]), class: "tightening" },
  { row: "a tool block's priority changed", covers: is("priority"), class: "review" },
  { row: "a result / session update added, removed or changed", covers: is("update"), class: "review" },
  { row: "a let changed", covers: is("let"), class: "review" },
];

export function classifyRule(f: RuleFacts): ChangeClass {
  return RULE_ROWS.find((r) => r.covers(f))?.class ?? "review";
}

/** A policy test case whose verdict changed: deny → allow lets a call through, allow → deny blocks one; undetermined needs a person. */
export function classifyVerdict(before: Verdict, after: Verdict): ChangeClass | undefined {
  if (before === after) return undefined;
  if (before === "undetermined" || after === "undetermined") return "review";
  return before === "deny" ? "weakening" : "tightening";
}
