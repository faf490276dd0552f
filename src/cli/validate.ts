import { compile } from "../compile.js";
import { EXIT, type Io } from "./io.js";
import { failureStatus, report } from "./report.js";

export async function runValidate(io: Io, o: { config?: string; env?: string[]; strict?: boolean }): Promise<number> {
  const result = await compile({ cwd: io.cwd, ...(o.config !== undefined ? { configPath: o.config } : {}), environments: o.env ?? [] });
  const failed = report(io, result.diagnostics, { sources: result.sources, strict: Boolean(o.strict), writes: false });
  if (failed || !result.compiled) return failureStatus(result.diagnostics);
  const n = result.compiled.environments.length;
  io.stderr(`${result.compiled.configPath}: ${n} environment${n === 1 ? "" : "s"} valid (${result.compiled.environments.map((e) => e.name).join(", ")})\n`);
  return EXIT.ok;
}
