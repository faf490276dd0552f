import { compile } from "../compile.js";
import type { LNode } from "../load/lnode.js";
import { locate } from "../load/source.js";
import { SECTION_NAMES } from "../schema/sections.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

/** `explain -e ENV [PATH]`: each merged value under PATH with the file position that set it. */
export async function runExplain(io: Io, field: string | undefined, o: { config?: string; env: string }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: [o.env] });
  if (report(io, result.diagnostics, { sources: result.sources, writes: false }) || !result.compiled) return failureStatus(result.diagnostics);
  const merged = result.merged.get(o.env) ?? {};
  const overrides = result.overrides.get(o.env) ?? {};
  const [section, ...keys] = field ? field.split(".").filter(Boolean) : [];
  const lines: string[] = [];
  const at = (node: LNode | undefined) => {
    for (const k of keys) node = node?.kind === "map" ? node.entries.get(k)?.value : node?.kind === "seq" ? node.items[Number(k)] : undefined;
    return node;
  };
  for (const name of SECTION_NAMES) {
    if (section !== undefined && section !== name) continue;
    const shown = new Map<string, string>();
    const base = [name, ...keys].join(".");
    const node = at(merged[name]);
    if (node) walk(node, base, shown, "");
    // What $overrides sets is what is sent, whatever the layers said: it is the value's source.
    const override = at(overrides[name]);
    if (override) walk(override, base, shown, ", $overrides: sent unvalidated");
    lines.push(...shown.values());
  }
  if (lines.length === 0) {
    io.stderr(`error: ${field ?? "nothing"} is not set in environment ${o.env} (it takes the SDK default, if any)\n`);
    return EXIT.invalid;
  }
  io.stdout(lines.join("\n") + "\n");
  return EXIT.ok;
}

function walk(node: LNode, path: string, out: Map<string, string>, note: string): void {
  if (node.kind === "map" && node.entries.size > 0) {
    for (const [k, e] of node.entries) walk(e.value, `${path}.${k}`, out, note);
    return;
  }
  const l = locate(node.span);
  const at = l.line > 0 ? `${l.file}:${l.line}:${l.column}` : l.file;
  out.set(path, `${path} = ${show(node)}    (${at}${note})`);
}

function show(node: LNode): string {
  if (node.kind === "seq") return `[${node.items.length} item${node.items.length === 1 ? "" : "s"}]`;
  if (node.kind === "map") return "{}";
  const v = node.value;
  if (typeof v === "string" && v.includes("\n")) return `<${v.replace(/\n$/, "").split("\n").length} lines of text>`;
  return typeof v === "bigint" ? String(v) : JSON.stringify(v);
}
