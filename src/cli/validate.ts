import { compile, type CompileResult } from "../compile.js";
import { shownPath } from "../load/load-config.js";
import { chosenConfigs, forEachConfig, forEachConfigJson } from "./configs.js";
import { compileAndReport, runStatus } from "./compile-and-report.js";
import { EXIT, type Io } from "./io.js";
import type { ValidateCliOptions } from "./options.js";
import { jsonDocument, type ReportOptions } from "./report.js";

/** `validate`: each config's diagnostics and a line per valid config; with `--format json` and several configs, one document holding each. */
export async function runValidate(io: Io, o: ValidateCliOptions): Promise<number> {
  const chosen = await chosenConfigs(io, o);
  if (!chosen.ok) return chosen.status;
  const { configs } = chosen;
  if (configs.length > 1 && o.format === "json") {
    // Each config's document is built, not printed: the joined one holds them all.
    return forEachConfigJson(io, configs, async (config) => {
      const result = await compile({ cwd: io.cwd, ...(config !== undefined ? { configPath: config } : {}), environments: o.env ?? [], inspect: false });
      return {
        status: runStatus(result, o.strict),
        document: jsonDocument(result.diagnostics, { ...reportOptions(o), json: jsonFields(result, io.cwd, config) }),
      };
    });
  }
  return forEachConfig(io, configs, (o.format ?? "text") === "text", (config) => validateOne(io, config, o));
}

function reportOptions(o: ValidateCliOptions): ReportOptions {
  return { strict: Boolean(o.strict), writes: false, ...(o.format ? { format: o.format } : {}), quiet: Boolean(o.quiet) };
}

async function validateOne(io: Io, config: string | undefined, o: ValidateCliOptions): Promise<number> {
  const run = await compileAndReport(io, { config, environments: o.env ?? [], inspect: false }, (result) => ({
    ...reportOptions(o),
    json: jsonFields(result, io.cwd),
  }));
  if (!run.ok) return run.status;
  const names = run.compiled.environments.map((e) => e.name);
  if ((o.format ?? "text") === "text" && !o.quiet) {
    io.stderr(`${run.compiled.configPath}: ${names.length} environment${names.length === 1 ? "" : "s"} valid (${names.join(", ")})\n`);
  }
  return EXIT.ok;
}

/**
 * `config` and `environments` of the JSON document. The config is named even when it does not compile
 * (its path is the run's first input); null only when none was found.
 */
function jsonFields(result: CompileResult, cwd: string, given?: string): Record<string, unknown> {
  const found = result.inputFiles[0];
  return {
    config: result.compiled?.configPath ?? given ?? (found !== undefined ? shownPath(found, cwd) : null),
    environments: result.compiled?.environments.map((e) => e.name) ?? [],
  };
}
