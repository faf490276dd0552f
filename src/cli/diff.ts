import { compile } from "../compile.js";
import { pyDumps } from "../serialize/pyjson.js";
import { isPyMap, type PyValue } from "../serialize/pyvalue.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

/** Leaf paths of a section: `config.fsm.max_n_turns` → its JSON text. Lists are compared whole. */
export function flatten(value: PyValue, prefix: string, out = new Map<string, string>()): Map<string, string> {
  if (isPyMap(value) && value.size > 0) {
    for (const [k, v] of value) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, pyDumps(value, { ascii: false }));
  return out;
}

/** `diff A B`: every field whose value differs, `-` for A and `+` for B; exit 1 when they differ. */
export async function runDiff(io: Io, a: string, b: string, o: { config?: string }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: [a, b] });
  if (report(io, result.diagnostics, { sources: result.sources, writes: false }) || !result.compiled) return failureStatus(result.diagnostics);
  const left = flatten(new Map(Object.entries(result.pySections.get(a) ?? {}) as [string, PyValue][]), "");
  const right = flatten(new Map(Object.entries(result.pySections.get(b) ?? {}) as [string, PyValue][]), "");
  // Fields in section order (features, policy, config), then in the order they first appear.
  const sectionRank = (k: string) => ["features", "policy", "config"].indexOf(k.split(".")[0] ?? "");
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort((x, y) => sectionRank(x) - sectionRank(y));
  const lines: string[] = [];
  for (const k of keys) {
    const x = left.get(k);
    const y = right.get(k);
    if (x === y) continue;
    lines.push(`${k}:`);
    if (x !== undefined) lines.push(`  - ${a}: ${x}`);
    if (y !== undefined) lines.push(`  + ${b}: ${y}`);
  }
  if (lines.length === 0) {
    io.stdout(`${a} and ${b} send identical headers\n`);
    return EXIT.ok;
  }
  io.stdout(lines.join("\n") + "\n");
  return EXIT.invalid;
}
