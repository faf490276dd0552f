// What a build produces, as data: the CLI decides whether to print, write or --check it.
//
// Defaults (what `build` does without -o):
//   json      → stdout (one JSON object for all selected environments); -o FILE writes it there.
//   ts        → stdout; -o FILE.ts writes it there.
//   template  → stdout; -o FILE writes it there.
//   env       → stdout, for exactly one selected environment; otherwise a usage error: it never writes
//               into the working directory unasked. -o DIR writes `.env.<environment>` per environment in
//               DIR. With exactly one environment selected, -o PATH that is not an existing directory and
//               does not end in a path separator is that single file.
import { statSync } from "node:fs";
import path from "node:path";
import { warning, type Diagnostic } from "../diagnostics/index.js";
import type { CompiledConfig } from "../serialize/compiled.js";
import { renderEnvFile, validateEnvPrefix } from "./env.js";
import { emitError } from "./errors.js";
import { renderJson } from "./json.js";
import { hasMarker, MARKER, MARKER_LINES } from "./marker.js";
import { STDOUT_PATH, type OutputFile } from "./output-file.js";
import { relativeForBanner, relativeToCwd } from "./paths.js";
import { selectEnvironments } from "./select.js";
import { renderTemplate } from "./template.js";
import { renderTsModule } from "./ts.js";

export type OutputFormat = "env" | "ts" | "json" | { template: string };

export interface OutputRequest {
  format: OutputFormat;
  out?: string;
  envPrefix?: string;
  environments?: string[];
  /** Base for relative paths and banners (default process.cwd()). */
  cwd?: string;
}

export interface RenderedOutputs {
  /** True when the result is meant for stdout; then `files` is exactly one entry with path `-`. */
  stdout: boolean;
  files: OutputFile[];
  /** `-f env -o DIR`: the folder of `.env.<environment>` files, where orphans are looked for. */
  envDir?: string;
  /** E.g. a template whose output lacks the generated-file marker. */
  warnings: Diagnostic[];
}

function isDirectory(p: string, cwd: string): boolean {
  if (p.endsWith("/") || p.endsWith(path.sep)) return true;
  try {
    return statSync(path.resolve(cwd, p)).isDirectory();
  } catch {
    return false;
  }
}

/** A file name piece must not leave DIR or be unreadable in a listing. */
function checkFileNamePart(name: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\x00-\x1f\x7f]/.test(name)) {
    throw emitError("invalid-environment-name", `environment name ${JSON.stringify(name)} cannot be used in a file name (.env.<environment>)`, undefined, [
      name,
    ]);
  }
}

export async function renderOutputs(compiled: CompiledConfig, request: OutputRequest): Promise<RenderedOutputs> {
  const cwd = request.cwd ?? process.cwd();
  const out = request.out === STDOUT_PATH ? undefined : request.out;
  const envs = selectEnvironments(compiled, request.environments);
  const banner = (file: string | undefined) =>
    file === undefined ? relativeToCwd(compiled.configPath, cwd) : relativeForBanner(file, compiled.configPath, cwd);
  const single = (content: string, warnings: Diagnostic[] = []): RenderedOutputs =>
    out === undefined ? { stdout: true, files: [{ path: STDOUT_PATH, content }], warnings } : { stdout: false, files: [{ path: out, content }], warnings };

  const format = request.format;
  if (format === "json") return single(renderJson(compiled, request.environments));
  if (format === "ts") return single(await renderTsModule(envs, { configPath: banner(out) }));
  if (typeof format === "object") {
    const content = await renderTemplate(format.template, compiled, {
      ...(request.environments ? { environments: request.environments } : {}),
      ...(out !== undefined ? { out } : {}),
      cwd,
    });
    return single(content, out !== undefined && !hasMarker(content) ? [templateWithoutMarker(format.template, out)] : []);
  }

  const prefix = request.envPrefix;
  if (prefix !== undefined) validateEnvPrefix(prefix);
  const envOptions = prefix !== undefined ? { prefix } : {};
  if (out === undefined) {
    const [only] = envs;
    if (only === undefined || envs.length > 1) {
      // Wrong usage (exit 2, src/errors.ts), never a write into the working directory.
      throw emitError(
        "env-needs-out",
        `-f env without -o prints one environment's .env to stdout, but ${envs.length} are selected (${envs.map((e) => e.name).join(", ")}); pass -o DIR to write .env.<environment> files there, or one -e ENV`,
      );
    }
    return single(await renderEnvFile(only, { ...envOptions, configPath: banner(undefined), file: "stdout" }));
  }
  // `-o` names a directory of .env.<environment> files, except with exactly one `-e` environment
  // and a path named like a dotenv file (`.env`, `.env.prod`, `prod.env`), which is that file.
  const singleFile = request.environments?.length === 1 && !isDirectory(out, cwd) && /^\.env(\.|$)|\.env$/.test(path.basename(out)) ? out : undefined;
  const folded = new Map<string, string>();
  for (const env of envs) {
    // Case-insensitive file systems (macOS, Windows) would make .env.dev and .env.Dev one file.
    const other = folded.get(env.name.toLowerCase());
    if (other !== undefined && singleFile === undefined) {
      throw emitError(
        "output-conflict",
        `environments ${JSON.stringify(other)} and ${JSON.stringify(env.name)} differ only in case; their .env files would be one file on macOS and Windows`,
        undefined,
        [other, env.name],
      );
    }
    folded.set(env.name.toLowerCase(), env.name);
  }
  const targets =
    singleFile !== undefined
      ? envs.map((env) => ({ env, file: singleFile }))
      : envs.map((env) => {
          checkFileNamePart(env.name);
          return { env, file: path.join(out, `.env.${env.name}`) };
        });
  const files: OutputFile[] = [];
  // Every file of a folder shows the config by the same relative path: worked out once per folder.
  const bannerByDir = new Map<string, string>();
  for (const { env, file } of targets) {
    const dir = path.dirname(file);
    let configPath = bannerByDir.get(dir);
    if (configPath === undefined) bannerByDir.set(dir, (configPath = banner(file)));
    files.push({ path: file, content: await renderEnvFile(env, { ...envOptions, configPath, file }) });
  }
  return { stdout: false, files, ...(singleFile === undefined ? { envDir: out } : {}), warnings: [] };
}

function templateWithoutMarker(template: string, out: string): Diagnostic {
  return warning(
    "template-no-marker",
    `the output of this template has no "${MARKER}" line in its first ${MARKER_LINES} lines, so the next build will refuse to replace ${out} without --force; add a comment such as "# Generated by {{generatedBy}}" near the top`,
    { file: template, line: 0, column: 0 },
  );
}
