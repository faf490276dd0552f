import { compile, type PySections } from "../compile.js";
import { pyDumps } from "../serialize/pyjson.js";
import { isPyMap, type PyValue } from "../serialize/pyvalue.js";
import { SECTION_NAMES, type SectionName } from "../schema/sections.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

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

/** `diff A B`: every field whose value differs, `-` for A and `+` for B; exit 1 when they differ. */
export async function runDiff(io: Io, a: string, b: string, o: { config?: string }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: [a, b] });
  if (report(io, result.diagnostics, { sources: result.sources, writes: false }) || !result.compiled) return failureStatus(result.diagnostics);
  const lines: string[] = [];
  for (const c of fieldChanges(result.pySections.get(a) ?? {}, result.pySections.get(b) ?? {})) {
    lines.push(`${c.field}:`);
    if (c.before !== undefined) lines.push(`  - ${a}: ${c.before}`);
    if (c.after !== undefined) lines.push(`  + ${b}: ${c.after}`);
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
