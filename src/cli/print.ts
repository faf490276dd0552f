import { escapeControlsInJson } from "../diagnostics/escape.js";
import { effectiveSections } from "../inspect.js";
import { pyDumps } from "../serialize/pyjson.js";
import type { PyValue } from "../serialize/pyvalue.js";
import { compileAndReport } from "./compile-and-report.js";
import { EXIT, type Io } from "./io.js";
import type { PrintCliOptions } from "./options.js";

/**
 * The effective sections of one environment, pretty-printed: non-ASCII shown as
 * is, except characters that could drive the terminal, which are written as
 * their `\uXXXX` escape (the same value).
 */
export async function runPrint(io: Io, o: PrintCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config: o.config, environments: [o.env] });
  if (!run.ok) return run.status;
  const sections = effectiveSections(run.result, o.env) ?? {};
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
