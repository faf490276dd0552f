import { compile } from "../compile.js";
import type { LNode } from "../load/lnode.js";
import { locate } from "../load/source.js";
import { EXIT, type Io } from "./io.js";
import { report } from "./report.js";

/** `explain -e ENV [PATH]`: each merged value under PATH with the file position that set it. */
export async function runExplain(io: Io, field: string | undefined, o: { config?: string; env: string }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: [o.env] });
  if (report(io, result.diagnostics, { sources: result.sources, writes: false }) || !result.compiled) return EXIT.invalid;
  const merged = result.merged.get(o.env) ?? {};
  const root: LNode = {
    kind: "map",
    entries: new Map(Object.entries(merged).map(([k, v]) => [k, { key: k, keySpan: v.span, value: v }])),
    span: Object.values(merged)[0]?.span ?? { source: { file: "", text: "" } as never, start: -1, end: -1 },
  };
  const keys = field ? field.split(".").filter(Boolean) : [];
  let node: LNode | undefined = root;
  for (const k of keys) node = node?.kind === "map" ? node.entries.get(k)?.value : node?.kind === "seq" ? node.items[Number(k)] : undefined;
  if (!node) {
    io.stderr(`error: ${field} is not set in environment ${o.env} (it takes the SDK default, if any)\n`);
    return EXIT.invalid;
  }
  const lines: string[] = [];
  walk(node, field ?? "", lines);
  io.stdout(lines.join("\n") + "\n");
  return EXIT.ok;
}

function walk(node: LNode, path: string, out: string[]): void {
  if (node.kind === "map" && node.entries.size > 0) {
    for (const [k, e] of node.entries) walk(e.value, path ? `${path}.${k}` : k, out);
    return;
  }
  const l = locate(node.span);
  const at = l.line > 0 ? `${l.file}:${l.line}:${l.column}` : l.file;
  const shown = node.kind === "scalar" ? (typeof node.value === "string" && node.value.includes("\n") ? `<${node.value.split("\n").length} lines>` : JSON.stringify(typeof node.value === "bigint" ? String(node.value) : node.value)) : node.kind === "seq" ? `[${node.items.length} items]` : "{}";
  out.push(`${path} = ${shown}    (${at})`);
}
