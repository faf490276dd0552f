import { compile } from "../compile.js";
import { escapeControlsInJson } from "../diagnostics/escape.js";
import { pyDumps } from "../serialize/pyjson.js";
import type { PyValue } from "../serialize/pyvalue.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

/**
 * The effective sections of one environment, pretty-printed: non-ASCII shown as
 * is, except characters that could drive the terminal, which are written as
 * their `\uXXXX` escape (the same value).
 */
export async function runPrint(io: Io, o: { config?: string; env: string; header?: "features" | "policy" | "config" }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: [o.env] });
  if (report(io, result.diagnostics, { sources: result.sources, writes: false }) || !result.compiled) return failureStatus(result.diagnostics);
  const sections = result.pySections.get(o.env) ?? {};
  let value: PyValue;
  if (o.header) {
    const section = sections[o.header];
    if (section === undefined) {
      io.stderr(`environment ${o.env} has no ${o.header} section, so it sends no such header\n`);
      return EXIT.invalid;
    }
    value = section;
  } else {
    value = new Map(Object.entries(sections) as [string, PyValue][]);
  }
  io.stdout(escapeControlsInJson(pyDumps(value, { indent: 2, ascii: false })) + "\n");
  return EXIT.ok;
}
