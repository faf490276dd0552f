/** What a review produces: per environment, classified changes (security-review.md, "JSON"). */
import type { PyValue } from "../serialize/pyvalue.js";

/** In the spec's order (the JSON summary's key order). */
export const CLASSES = ["weakening", "tightening", "review", "neutral"] as const;
/** `weakening` fewer calls blocked or more exposed; `tightening` the reverse; `review` a person must judge; `neutral` no security effect. */
export type ChangeClass = (typeof CLASSES)[number];

/** Severity for `--fail-on` and for "weakening first": weakening, then review, then the rest. */
export function severity(c: ChangeClass): number {
  return c === "weakening" ? 2 : c === "review" ? 1 : 0;
}

/** The more severe of two classes (tightening wins over neutral). */
export function worse(a: ChangeClass, b: ChangeClass): ChangeClass {
  if (severity(a) !== severity(b)) return severity(a) > severity(b) ? a : b;
  return a === "tightening" || b === "tightening" ? "tightening" : a;
}

/** A 1-based position; `side: "before"` when it is in the before side (removed items). `line` 0: the file has no positions (JS config). */
export interface ChangeLocation {
  side?: "before";
  file: string;
  line: number;
  column: number;
}

interface ChangeBase {
  class: ChangeClass;
  location?: ChangeLocation;
  /** For `--format github`: where in the after side to annotate (a removed item's nearest surviving enclosing node). */
  annotateAt?: ChangeLocation;
}

/** A header field whose wire value changed; `undefined` is absent from the header. */
export interface FieldChange extends ChangeBase {
  kind: "field";
  path: string;
  before: PyValue | undefined;
  after: PyValue | undefined;
}

export type RuleChangeKind = "added" | "removed" | "enforcement" | "condition" | "priority" | "update" | "let";

/** A change in the SQRT program, compared rule by rule. */
export interface RuleChange extends ChangeBase {
  kind: "rule";
  path: "policy.codes";
  /** The tool id (a string's text, a regex as written); absent for `let`. */
  tool?: string;
  /** The id is a regex (`tool r"..."`), so `tool` is shown as written, not quoted. Not in the JSON. */
  toolIsRegex?: boolean;
  /** The `let` name, for `change: "let"`. */
  name?: string;
  change: RuleChangeKind;
  /** The rule as written (comments and layout dropped); null when absent on that side. */
  before: string | null;
  after: string | null;
  /** Changed `let`s this rule reads (directly or through other lets), when they are why it is listed. */
  uses?: string[];
}

export type Verdict = "allow" | "deny" | "undetermined";

/** A policy test case whose verdict differs between the sides (input from the policy simulator). */
export interface TestChange extends ChangeBase {
  kind: "test";
  case: string;
  file: string;
  before: Verdict;
  after: Verdict;
}

export type Change = FieldChange | RuleChange | TestChange;

type EnvironmentStatus = "changed" | "unchanged" | "added" | "removed";

export interface EnvironmentReview {
  name: string;
  status: EnvironmentStatus;
  changes: Change[];
  /** For an added or removed environment: its key in the config (before side when removed). */
  location?: ChangeLocation;
}

export interface Review {
  /** What the before side is: `--base REF` or `--against FILE`. */
  base: { kind: "base" | "against"; label: string };
  /** After side's order; environments only in the before side last, in its order. */
  environments: EnvironmentReview[];
  summary: Record<ChangeClass, number>;
}
