import { escapeControls, escapeControlsInJson } from "../diagnostics/escape.js";
import { valueSources, type ValueSource } from "../inspect.js";
import { compileAndReport } from "./compile-and-report.js";
import { EXIT, type Io } from "./io.js";
import type { ExplainCliOptions } from "./options.js";

/** `explain -e ENV [PATH]`: each merged value under PATH with the file position that set it. */
export async function runExplain(io: Io, field: string | undefined, o: ExplainCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config: o.config, environments: [o.env] });
  if (!run.ok) return run.status;
  const lines = valueSources(run.result, o.env, field).map(line);
  if (lines.length === 0) {
    io.stderr(`error: ${field ?? "nothing"} is not set in environment ${o.env} (it takes the SDK default, if any)\n`);
    return EXIT.invalid;
  }
  io.stdout(lines.join("\n") + "\n");
  return EXIT.ok;
}

// Keys, values and paths come from the user's files: control and bidi characters are shown escaped.
function line(s: ValueSource): string {
  const l = s.location;
  const file = escapeControls(l.file);
  const at = l.line > 0 ? `${file}:${l.line}:${l.column}` : file;
  return `${escapeControls(s.field)} = ${show(s.value)}    (${at}${s.override ? ", $overrides: sent unvalidated" : ""})`;
}

function show(v: ValueSource["value"]): string {
  if (v.kind === "list") return `[${v.length} item${v.length === 1 ? "" : "s"}]`;
  if (v.kind === "map") return "{}";
  const x = v.value;
  if (typeof x === "string" && x.includes("\n")) return `<${x.replace(/\n$/, "").split("\n").length} lines of text>`;
  return typeof x === "bigint" ? String(x) : escapeControlsInJson(JSON.stringify(x));
}
