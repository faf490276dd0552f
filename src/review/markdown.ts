/**
 * `--format markdown`, for a pull-request comment: a summary, then one section per environment
 * that changed, the most severe first, each a table with its weakening rows first. Unchanged
 * environments are named in one line at the end.
 */
import { baseWords, bySeverity, sides, subject, summaryWords, verb, where } from "./describe.js";
import { severity, type Change, type EnvironmentReview, type Review } from "./model.js";

/** Text with every ASCII punctuation character that markdown could read escaped. */
function text(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~&"']/g, "\\$&").replace(/[\r\n]+/g, " ");
}

/** A code span that holds any text: a fence longer than any backtick run inside; `|` escaped for tables. */
function code(s: string): string {
  const flat = s.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ") && flat.trim() !== "") ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

function worst(e: EnvironmentReview): number {
  return Math.max(-1, ...e.changes.map((c) => severity(c.class)));
}

function counts(changes: readonly Change[]): string {
  const n = new Map<string, number>();
  for (const c of changes) n.set(c.class, (n.get(c.class) ?? 0) + 1);
  return ["weakening", "review", "tightening", "neutral"].flatMap((k) => (n.get(k) ? [`${n.get(k)} ${k}`] : [])).join(", ");
}

function row(c: Change): string {
  const { before, after } = sides(c);
  const absent = (v: string, missing: boolean) => (missing ? "—" : code(v));
  const noBefore = c.kind === "field" ? c.before === undefined : c.kind === "rule" && c.before === null;
  const noAfter = c.kind === "field" ? c.after === undefined : c.kind === "rule" && c.after === null;
  const cls = severity(c.class) > 0 ? `**${c.class}**` : c.class;
  const at = c.location ? code(where(c.location)) : "";
  return `| ${cls} | ${code(subject(c))} ${text(verb(c))} | ${absent(before, noBefore)} | ${absent(after, noAfter)} | ${at} |`;
}

function section(e: EnvironmentReview): string[] {
  const out = [`### ${text(e.name)} (${e.status}${e.changes.length > 0 ? `: ${counts(e.changes)}` : ""})`, ""];
  if (e.changes.length === 0) {
    out.push(
      e.status === "added"
        ? "A new environment: every header it sends is new."
        : "The environment no longer exists: clients that use it get no headers from this config.",
      "",
    );
    return out;
  }
  out.push("| class | change | before | after | where |", "|---|---|---|---|---|");
  const rows = e.changes.map((c, i) => ({ c, i })).sort((x, y) => severity(y.c.class) - severity(x.c.class) || x.i - y.i);
  for (const { c } of rows) out.push(row(c));
  out.push("");
  return out;
}

export function reviewMarkdown(r: Review): string {
  const out = [`## Security review: working tree against ${text(baseWords(r))}`, "", `**Summary:** ${summaryWords(r)}`, ""];
  const shown = r.environments.filter((e) => e.status !== "unchanged");
  for (const e of bySeverity(shown, worst)) out.push(...section(e));
  const unchanged = r.environments.filter((e) => e.status === "unchanged").map((e) => text(e.name));
  if (unchanged.length > 0) out.push(`Unchanged: ${unchanged.join(", ")}`, "");
  return out.join("\n");
}
