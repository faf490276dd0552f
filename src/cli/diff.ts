import type { PySections } from "../compile.js";
import { compileAndReport } from "./compile-and-report.js";
import type { DiffCliOptions } from "./options.js";
import { pyDumps } from "../serialize/pyjson.js";
import { isPyMap, type PyValue } from "../serialize/pyvalue.js";
import { SECTION_NAMES, type SectionName } from "../schema/sections.js";
import { sentence, showValue } from "../review/describe.js";
import { CODE_PATH } from "../review/fields.js";
import { unifiedDiff } from "../review/line-diff.js";
import { sidesOf, wireValue } from "../review/provenance.js";
import { environmentChanges } from "../review/review.js";
import { EXIT, type Io } from "./io.js";
import { report } from "./report.js";

/** Leaf paths of a section: `config.fsm.max_n_turns` → its JSON text. Lists are compared whole. */
function flatten(value: PyValue, prefix: string, out = new Map<string, string>()): Map<string, string> {
  if (isPyMap(value) && value.size > 0) {
    for (const [k, v] of value) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, pyDumps(value, { ascii: false }));
  return out;
}

export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
}

/** Every field whose value differs between two environments' sections, in section order. */
export function fieldChanges(before: PySections, after: PySections): FieldChange[] {
  const left = flatten(new Map(Object.entries(before) as [string, PyValue][]), "");
  const right = flatten(new Map(Object.entries(after) as [string, PyValue][]), "");
  // Fields in section order (features, policy, config), then in the order they first appear.
  const sectionRank = (k: string) => SECTION_NAMES.indexOf((k.split(".")[0] ?? "") as SectionName);
  const fields = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => sectionRank(x) - sectionRank(y));
  return fields.flatMap((field) => {
    const x = left.get(field);
    const y = right.get(field);
    return x === y ? [] : [{ field, ...(x !== undefined ? { before: x } : {}), ...(y !== undefined ? { after: y } : {}) }];
  });
}

/**
 * `diff A B`: every change from A to B, classified as `review` classifies it (A is the before
 * side), values `-` for A and `+` for B; policy code as its rule changes and a line diff. Exit 1
 * when they differ.
 */
export async function runDiff(io: Io, a: string, b: string, o: DiffCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config: o.config, environments: [a, b] });
  if (!run.ok) return run.status;
  const { result } = run;
  const side = sidesOf(result);
  const [left, right] = [side(a), side(b)];
  const lines: string[] = [];
  for (const c of environmentChanges(left, right)) {
    if (c.kind === "rule") {
      lines.push(`${c.path}: ${c.class}`, `  ${sentence(c)}`);
      continue;
    }
    if (c.kind !== "field") continue;
    lines.push(`${c.path}: ${c.class}`);
    // Code compared as a whole (Cedar) is shown by the line diff below.
    if (c.path === CODE_PATH) continue;
    if (c.before !== undefined) lines.push(`  - ${a}: ${showValue(c.before)}`);
    if (c.after !== undefined) lines.push(`  + ${b}: ${showValue(c.after)}`);
  }
  const code = (side: typeof left) => wireValue(side.sections, CODE_PATH.split("."));
  const [x, y] = [code(left), code(right)];
  if (x !== y && (typeof x === "string" || typeof y === "string")) {
    lines.push(
      `${CODE_PATH} (line diff):`,
      ...unifiedDiff(typeof x === "string" ? x : "", typeof y === "string" ? y : "", { before: a, after: b }).map((l) => `  ${l}`),
    );
  }
  if (lines.length === 0) {
    io.stdout(`${a} and ${b} send identical headers\n`);
    return EXIT.ok;
  }
  const { configVerdictChanges, formatVerdictChanges } = await import("../simulate/compare.js");
  const tests = await configVerdictChanges(result, io.cwd, { a, b });
  report(io, tests.diagnostics, { sources: tests.sources, writes: false });
  lines.push(...formatVerdictChanges(tests.changes, "test verdicts that differ:", a, b));
  io.stdout(lines.join("\n") + "\n");
  return EXIT.invalid;
}
