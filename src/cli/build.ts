import { compile, type CompileResult } from "../compile.js";
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import type { OutputFormat } from "../emit/outputs.js";
import { EXIT, type Io } from "./io.js";
import type { BuildCliOptions } from "./main.js";
import { failureStatus, report } from "./report.js";

function parseFormat(format: string): OutputFormat | undefined {
  if (format === "json" || format === "env" || format === "ts") return format;
  if (format.endsWith(".hbs")) return { template: format };
  return undefined;
}

export async function runBuild(io: Io, o: BuildCliOptions): Promise<number> {
  const format = parseFormat(o.format);
  if (!format) {
    io.stderr(`error: unknown format "${o.format}"; use json, env, ts or a path to a .hbs template\n`);
    return EXIT.usage;
  }
  if (o.watch && o.check) {
    io.stderr("error: --watch and --check cannot be used together\n");
    return EXIT.usage;
  }
  if (format === "env") {
    const { validateEnvPrefix } = await import("../emit/index.js");
    try {
      validateEnvPrefix(o.envPrefix);
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      io.stderr(`error: ${e.diagnostics[0]?.message ?? "invalid --env-prefix"}\n`);
      return EXIT.usage;
    }
  }
  if (o.watch) return watch(io, o, format);
  return (await buildOnce(io, o, format)).code;
}

interface BuildOutcome {
  code: number;
  summary: string;
  result: CompileResult;
}

async function buildOnce(io: Io, o: BuildCliOptions, format: OutputFormat): Promise<BuildOutcome> {
  const result = await compile({
    cwd: io.cwd,
    ...(o.config !== undefined ? { configPath: o.config } : {}),
    environments: o.env ?? [],
    minifyPolicy: Boolean(o.minifyPolicy),
  });
  const failed = report(io, result.diagnostics, { sources: result.sources, strict: Boolean(o.strict), writes: !o.check });
  if (failed || !result.compiled) return { code: failureStatus(result.diagnostics), summary: "errors in the config", result };
  const emit = await import("../emit/index.js");
  try {
    const rendered = await emit.renderOutputs(result.compiled, {
      format,
      cwd: io.cwd,
      envPrefix: o.envPrefix,
      ...(o.out !== undefined ? { out: o.out } : {}),
      ...(o.env && o.env.length > 0 ? { environments: o.env } : {}),
    });
    const n = result.compiled.environments.length;
    const envs = `${n} environment${n === 1 ? "" : "s"}`;
    if (rendered.stdout) {
      if (o.check) {
        io.stderr("error: --check needs -o: there is nothing on disk to compare with stdout\n");
        return { code: EXIT.usage, summary: "", result };
      }
      io.stdout(rendered.files[0]?.content ?? "");
      return { code: EXIT.ok, summary: `built ${envs}`, result };
    }
    if (o.check) {
      const { stale } = await emit.checkOutputs(rendered.files, { cwd: io.cwd });
      for (const s of stale) io.stderr(`${s.path}: ${s.reason === "missing" ? "missing" : "out of date"}\n${s.diff}`);
      if (stale.length > 0) {
        io.stderr(`${stale.length} file${stale.length === 1 ? " is" : "s are"} stale; run the same build without --check\n`);
        return { code: EXIT.invalid, summary: "stale", result };
      }
      io.stderr(`${rendered.files.length} file${rendered.files.length === 1 ? "" : "s"} up to date\n`);
      return { code: EXIT.ok, summary: "up to date", result };
    }
    const { written, unchanged } = await emit.writeOutputs(rendered.files, { cwd: io.cwd });
    const summary = `built ${envs}: ${written.length} file${written.length === 1 ? "" : "s"} written, ${unchanged.length} unchanged`;
    if (!o.watch) io.stderr(summary + "\n");
    return { code: EXIT.ok, summary, result };
  } catch (e) {
    if (e instanceof DiagnosticError) {
      report(io, e.diagnostics as Diagnostic[], { sources: result.sources, writes: !o.check });
      return { code: EXIT.invalid, summary: e.diagnostics[0]?.message ?? "error", result };
    }
    throw e;
  }
}

async function watch(io: Io, o: BuildCliOptions, format: OutputFormat): Promise<number> {
  const { watchAndRebuild } = await import("../emit/index.js");
  let inputs: string[] = [];
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await watchAndRebuild({
    paths: () => inputs,
    rebuild: async () => {
      const outcome = await buildOnce(io, { ...o, watch: true }, format);
      if (outcome.result.inputFiles.length > 0) inputs = outcome.result.inputFiles;
      return { ok: outcome.code === EXIT.ok, summary: outcome.summary };
    },
    log: (line: string) => io.stderr(line + "\n"),
    signal: controller.signal,
  });
  return EXIT.ok;
}
