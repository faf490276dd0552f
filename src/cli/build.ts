import path from "node:path";
import { compile, type CompileResult } from "../compile.js";
import { DiagnosticError, type Diagnostic } from "../diagnostics/index.js";
import type { OutputFormat } from "../emit/outputs.js";
import type { StaleOutput } from "../emit/write.js";
import { SEARCH_PLACES } from "../load/discover.js";
import { EXIT, type Io } from "./io.js";
import { chosenConfigs, forEachConfig, forEachConfigJson } from "./configs.js";
import type { BuildCliOptions, SingleBuildOptions } from "./options.js";
import { failureStatus, jsonDocument, report, type ReportOptions } from "./report.js";

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
  if (o.check && o.out === undefined) {
    io.stderr("error: --check needs -o: there is nothing on disk to compare with stdout\n");
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
  const chosen = await chosenConfigs(io, o);
  if (!chosen.ok) return chosen.status;
  const { configs } = chosen;
  const single = (config: string | undefined): SingleBuildOptions => {
    const { config: _, all: __, ...rest } = o;
    return { ...rest, ...(config !== undefined ? { config } : {}) };
  };
  if (configs.length === 1) {
    if (o.watch) return watch(io, single(configs[0]), format);
    return (await buildOnce(io, single(configs[0]), format)).code;
  }
  if (!o.check) {
    io.stderr("error: several configs (-c repeated, --all) need --check: a build writes one config's outputs; run one build per config\n");
    return EXIT.usage;
  }
  // -o is each config's own output, so it is read from each config's folder.
  const perConfig = (config: string | undefined): SingleBuildOptions => ({
    ...single(config),
    ...(o.out !== undefined ? { out: besideConfig(io, config, o.out) } : {}),
  });
  if ((o.diagnostics ?? "text") === "text") return forEachConfig(io, configs, true, async (config) => (await buildOnce(io, perConfig(config), format)).code);
  if (o.diagnostics === "github") return forEachConfig(io, configs, false, async (config) => (await buildOnce(io, perConfig(config), format)).code);
  return forEachConfigJson(io, configs, async (config) => {
    let document: Record<string, unknown> | undefined;
    const outcome = await buildOnce(io, perConfig(config), format, (diagnostics) => {
      document = jsonDocument(diagnostics, { strict: Boolean(o.strict), quiet: Boolean(o.quiet), json: { config: config ?? null } });
    });
    return { status: outcome.code, ...(document ? { document } : {}) };
  });
}

/** `-o PATH` for one of several configs: PATH from that config's folder, shown from the current one (a final `/` kept). */
function besideConfig(io: Io, config: string | undefined, out: string): string {
  const dir = path.dirname(path.resolve(io.cwd, config ?? "."));
  const shown = path.relative(io.cwd, path.resolve(dir, out)) || ".";
  return out.endsWith("/") || out.endsWith(path.sep) ? `${shown}/` : shown;
}

interface BuildOutcome {
  code: number;
  summary: string;
  result: CompileResult;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

type Say = (diagnostics: readonly Diagnostic[], options: ReportOptions) => boolean;

/**
 * One build. With --diagnostics json|github every diagnostic of the build is printed once, at the
 * end, as one document; or handed to `collect`, when the caller joins several builds' documents (json).
 */
async function buildOnce(io: Io, o: SingleBuildOptions, format: OutputFormat, collect?: (diagnostics: Diagnostic[]) => void): Promise<BuildOutcome> {
  if ((o.diagnostics ?? "text") === "text") return buildSteps(io, o, format, (d, options) => report(io, d, options));
  const all: Diagnostic[] = [];
  let sources: ReportOptions["sources"];
  const outcome = await buildSteps(io, o, format, (d, options) => {
    all.push(...d);
    sources ??= options.sources;
    return d.some((x) => x.severity === "error" || (o.strict && x.severity === "warning"));
  });
  if (collect && o.diagnostics === "json") collect(all);
  else report(io, all, { ...diagnosticsOptions(o), strict: Boolean(o.strict), ...(sources ? { sources } : {}) });
  return outcome;
}

async function buildSteps(io: Io, o: SingleBuildOptions, format: OutputFormat, say: Say): Promise<BuildOutcome> {
  const result = await compile({
    cwd: io.cwd,
    ...(o.config !== undefined ? { configPath: o.config } : {}),
    environments: o.env ?? [],
    minifyPolicy: Boolean(o.minifyPolicy),
    // A build reads only the headers; the per-environment trees are not kept.
    inspect: false,
  });
  const failed = say(result.diagnostics, { sources: result.sources, strict: Boolean(o.strict), writes: !o.check, ...diagnosticsOptions(o) });
  if (failed || !result.compiled) return { code: failureStatus(result.diagnostics), summary: "errors in the config", result };
  const compiled = result.compiled;
  const emit = await import("../emit/index.js");
  try {
    const rendered = await emit.renderOutputs(compiled, {
      format,
      cwd: io.cwd,
      envPrefix: o.envPrefix,
      ...(o.out !== undefined ? { out: o.out } : {}),
      ...(o.env && o.env.length > 0 ? { environments: o.env } : {}),
    });
    if (say(rendered.warnings, { strict: Boolean(o.strict), writes: !o.check, ...diagnosticsOptions(o) }))
      return { code: EXIT.invalid, summary: "template without marker", result };
    const envs = plural(compiled.environments.length, "environment");
    if (rendered.stdout) {
      io.stdout(rendered.files[0]?.content ?? "");
      return { code: EXIT.ok, summary: `built ${envs}`, result };
    }
    const keep = rendered.envDir !== undefined ? compiled.definedEnvironments : undefined;
    const options = {
      cwd: io.cwd,
      guard: { inputs: buildInputs(io, format, result), force: Boolean(o.force) },
      ...(rendered.envDir !== undefined && keep !== undefined ? { orphans: { dir: rendered.envDir, keep, configPath: compiled.configPath } } : {}),
    };
    if (o.check) {
      const { stale } = await emit.checkOutputs(rendered.files, options);
      const fresh = reportCheck(io, stale, rendered.files.length);
      return { code: fresh ? EXIT.ok : EXIT.invalid, summary: fresh ? "up to date" : "stale", result };
    }
    const { written, unchanged, removed } = await emit.writeOutputs(rendered.files, options);
    const gone = removed.length > 0 ? `, ${removed.length} orphaned removed (${removed.join(", ")})` : "";
    const summary = `built ${envs}: ${plural(written.length, "file")} written, ${unchanged.length} unchanged${gone}`;
    if (!o.watch && !o.quiet) io.stderr(summary + "\n");
    return { code: EXIT.ok, summary, result };
  } catch (e) {
    if (e instanceof DiagnosticError) {
      say(e.diagnostics as Diagnostic[], { sources: result.sources, writes: !o.check, ...diagnosticsOptions(o) });
      return { code: failureStatus(e.diagnostics), summary: e.diagnostics[0]?.message ?? "error", result };
    }
    throw e;
  }
}

/** Prints what --check found; true when everything is up to date. */
function reportCheck(io: Io, stale: readonly StaleOutput[], fileCount: number): boolean {
  for (const s of stale) {
    if (s.reason === "orphaned") io.stderr(`${s.path}: orphaned: generated for an environment the config no longer defines; a build removes it\n`);
    else io.stderr(`${s.path}: ${s.reason === "missing" ? "missing" : "out of date"}\n${s.diff}`);
  }
  if (stale.length === 0) {
    io.stderr(`${plural(fileCount, "file")} up to date\n`);
    return true;
  }
  io.stderr(`${stale.length} file${stale.length === 1 ? " is" : "s are"} stale; run the same build without --check\n`);
  return false;
}

/** What the build read and must never write over: the config, policy files, and the template. */
function buildInputs(io: Io, format: OutputFormat, result: CompileResult): string[] {
  return [...result.inputFiles, ...(typeof format === "object" ? [path.resolve(io.cwd, format.template)] : [])];
}

/**
 * Files a watch follows: the config (or, when discovered, every name discovery looks for here, so a
 * config created or repaired later is seen), the template, and whatever the last build read. A build
 * that failed early read less than the one before, so it adds to the previous list instead of replacing it.
 */
function watchedPaths(io: Io, o: SingleBuildOptions, format: OutputFormat, result: CompileResult | undefined, previous: readonly string[]): string[] {
  const paths = new Set<string>(result?.compiled ? [] : previous);
  if (o.config !== undefined) paths.add(path.resolve(io.cwd, o.config));
  else for (const place of SEARCH_PLACES) paths.add(path.join(io.cwd, place));
  if (typeof format === "object") paths.add(path.resolve(io.cwd, format.template));
  for (const f of result?.inputFiles ?? []) paths.add(f);
  return [...paths];
}

async function watch(io: Io, o: SingleBuildOptions, format: OutputFormat): Promise<number> {
  const { watchAndRebuild } = await import("../emit/index.js");
  let inputs = watchedPaths(io, o, format, undefined, []);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await watchAndRebuild({
    paths: () => inputs,
    rebuild: async () => {
      const outcome = await buildOnce(io, { ...o, watch: true }, format);
      inputs = watchedPaths(io, o, format, outcome.result, inputs);
      return { ok: outcome.code === EXIT.ok, summary: outcome.summary };
    },
    log: (line: string) => io.stderr(line + "\n"),
    signal: controller.signal,
  });
  return EXIT.ok;
}

/**
 * `--diagnostics json|github` and `--quiet`. Machine-readable diagnostics go to stdout, except when
 * the build prints its own result there (no -o, no --check): then to stderr, so stdout stays the headers.
 */
function diagnosticsOptions(o: SingleBuildOptions): ReportOptions {
  const resultOnStdout = o.out === undefined && !o.check;
  return { format: o.diagnostics ?? "text", quiet: Boolean(o.quiet), machineStream: resultOnStdout ? "stderr" : "stdout" };
}
