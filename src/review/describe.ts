/**
 * A change in words, the same in every display format (text, markdown, GitHub annotations, `diff`).
 * Everything taken from the files (values, rules, names, paths) has its terminal control and bidi
 * characters escaped: a change under review must not be able to restyle or hide the lines around it.
 */
import { escapeControls, escapeControlsInJson } from "../diagnostics/escape.js";
import { pyDumps } from "../serialize/pyjson.js";
import type { PyValue } from "../serialize/pyvalue.js";
import type { Change, ChangeLocation, EnvironmentReview, Review, RuleChange } from "./model.js";

/** A wire value as compact JSON; `absent` when the header leaves it out. */
export function showValue(v: PyValue | undefined): string {
  return v === undefined ? "absent" : escapeControlsInJson(pyDumps(v, { ascii: false }));
}

const quoted = (s: string): string => escapeControlsInJson(JSON.stringify(s));

/** What changed, without its class or location: `policy.mode: "strict" → "standard"`. */
export function subject(c: Change): string {
  switch (c.kind) {
    case "field":
      return c.path;
    case "rule":
      if (c.change === "let") return `let ${escapeControls(c.name ?? "")}`;
      return `tool ${c.toolIsRegex ? escapeControls(c.tool ?? "") : quoted(c.tool ?? "")}`;
    case "test":
      return `test ${quoted(c.case)} (${escapeControls(c.file)})`;
  }
}

function ruleVerb(c: RuleChange): string {
  const how = c.before === null ? "added" : c.after === null ? "removed" : "changed";
  switch (c.change) {
    case "added":
    case "removed":
      return `rule ${c.change}`;
    case "enforcement":
    case "condition":
      return `${c.change} changed`;
    case "let":
      return how;
    default:
      return `${c.change} ${how}`;
  }
}

/** What happened to it: `rule removed`, `added`, `changed`. */
export function verb(c: Change): string {
  if (c.kind === "rule") return c.uses ? `${ruleVerb(c)} (uses changed let ${c.uses.join(", ")})` : ruleVerb(c);
  if (c.kind === "field" && c.before === undefined) return "added";
  if (c.kind === "field" && c.after === undefined) return "removed";
  return "changed";
}

/** The values on each side, as shown: JSON for fields, the rule as written, the verdict. */
export function sides(c: Change): { before: string; after: string } {
  if (c.kind === "field") return { before: showValue(c.before), after: showValue(c.after) };
  if (c.kind === "rule") return { before: escapeControls(c.before ?? "absent"), after: escapeControls(c.after ?? "absent") };
  return { before: c.before, after: c.after };
}

/** One line: `policy.mode changed: "strict" → "standard"`. */
export function sentence(c: Change): string {
  const { before, after } = sides(c);
  const head = `${subject(c)} ${verb(c)}`;
  if (c.kind === "rule" && c.before === null) return `${head}: ${after}`;
  if (c.kind === "rule" && c.after === null) return `${head}: ${before}`;
  if (c.kind === "field" && c.before === undefined) return `${head}: ${after}`;
  if (c.kind === "field" && c.after === undefined) return `${head} (was ${before})`;
  return `${head}: ${before} → ${after}`;
}

/** `file:line:column`, `before: ...` for the before side; the file alone when it has no positions. */
export function where(l: ChangeLocation | undefined): string {
  if (!l) return "";
  const file = escapeControls(l.file);
  const at = l.line > 0 ? `${file}:${l.line}:${l.column}` : file;
  return l.side === "before" ? `before: ${at}` : at;
}

/** What the before side is, in words. */
export function baseWords(r: Review): string {
  return escapeControls(r.base.kind === "base" ? `git revision ${r.base.label}` : r.base.label);
}

export function summaryWords(r: Review): string {
  const s = r.summary;
  return `${s.weakening} weakening, ${s.tightening} tightening, ${s.review} review, ${s.neutral} neutral`;
}

/** Environments in the order a reader should see them: the most severe change first (stable otherwise). */
export function bySeverity(envs: readonly EnvironmentReview[], rank: (e: EnvironmentReview) => number): EnvironmentReview[] {
  return envs
    .map((e, i) => ({ e, i, r: rank(e) }))
    .sort((x, y) => y.r - x.r || x.i - y.i)
    .map((x) => x.e);
}
