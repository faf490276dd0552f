import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { compile, type CompileResult } from "../src/compile.js";
import { formatDiagnostics } from "../src/diagnostics/index.js";

const created: string[] = [];

/**
 * Removes every folder freshDir() made so far. test/setup/temp-cleanup.ts calls it after each test
 * file: the unit project shares this module between files, so a hook registered here would run once.
 */
export function removeTempFolders(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh, empty temp directory, removed after the test file's tests. */
export function freshDir(prefix = "sequrity-test-"): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A fresh temp directory holding `files` (path → content), removed after the test file's tests. */
export function tempProject(files: Record<string, string>): string {
  const dir = freshDir();
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

/** A copy of the shipped example (dev, staging, prod; one policy file) in a fresh temp directory. */
export function exampleProject(): string {
  const dir = freshDir();
  const examples = new URL("../examples/", import.meta.url);
  cpSync(new URL("sequrity.config.yaml", examples), path.join(dir, "sequrity.config.yaml"));
  cpSync(new URL("policies", examples), path.join(dir, "policies"), { recursive: true });
  return dir;
}

/** Compiles a config given as YAML text (plus extra files) in a temp project. */
export async function compileYaml(yaml: string, extra: Record<string, string> = {}, environments: string[] = []): Promise<CompileResult & { dir: string }> {
  const dir = tempProject({ "sequrity.config.yaml": yaml, ...extra });
  const result = await compile({ cwd: dir, configPath: "sequrity.config.yaml", environments });
  // The same object, not a copy: src/inspect.ts reads what compile() knows about this very result.
  return Object.assign(result, { dir });
}

/** Diagnostics as the CLI prints them, without code frames: one line each. */
export function errorLines(result: CompileResult): string[] {
  return formatDiagnostics(result.diagnostics, { codeFrame: false }).split("\n").filter(Boolean);
}

/** The header strings of one environment, asserting success. */
export function headersOf(result: CompileResult, env: string): Record<string, string> {
  if (!result.compiled) throw new Error("compile failed:\n" + errorLines(result).join("\n"));
  const e = result.compiled.environments.find((x) => x.name === env);
  if (!e) throw new Error(`no environment ${env}`);
  return e.headers as Record<string, string>;
}

/** Runs the CLI in-process, as `sequrity-config ARGS` in `cwd`, capturing what it prints. */
export async function runCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import("../src/cli/main.js");
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, isTTY: false });
  return { code, stdout, stderr };
}
