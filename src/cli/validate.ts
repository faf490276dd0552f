import { compile } from "../compile.js";
import type { DiagnosticFormat } from "../diagnostics/index.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

export interface ValidateCliOptions {
  config?: string;
  env?: string[];
  strict?: boolean;
  format?: DiagnosticFormat;
  quiet?: boolean;
}

export async function runValidate(io: Io, o: ValidateCliOptions): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: o.env ?? [] });
  const names = result.compiled?.environments.map((e) => e.name) ?? [];
  const failed = report(io, result.diagnostics, {
    sources: result.sources,
    strict: Boolean(o.strict),
    writes: false,
    ...(o.format ? { format: o.format } : {}),
    quiet: Boolean(o.quiet),
    json: { config: result.compiled?.configPath ?? null, environments: names },
  });
  if (failed || !result.compiled) return failureStatus(result.diagnostics);
  if ((o.format ?? "text") === "text" && !o.quiet) {
    io.stderr(`${result.compiled.configPath}: ${names.length} environment${names.length === 1 ? "" : "s"} valid (${names.join(", ")})\n`);
  }
  return EXIT.ok;
}
