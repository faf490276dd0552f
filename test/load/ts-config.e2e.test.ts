import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import sequrity from "../../src/plugin/esbuild.js";
import { runCli } from "../helpers.js";
import { installedProject, ROOT, STRICT_TSCONFIG, tsc } from "../installed.js";
import { asJson, importBundle } from "../plugin/project.js";

// The example of docs/typescript-config.md ("Typing the config"), and what tsc says once it is broken
// there: the page shows what these tests check.
const PAGE = readFileSync(path.join(ROOT, "docs/typescript-config.md"), "utf8");
const CONFIG_TS = /```ts file=sequrity\.config\.ts\n(import \{ defineConfig \}[\s\S]*?)```/.exec(PAGE)?.[1] ?? "";
const TSC_SAYS = /`tsc --strict` says:\n\n```text\n([\s\S]*?)```/.exec(PAGE)?.[1] ?? "";

const POLICY = 'tool "send_email" { hard deny when to.value in {str like w"*@gmail.com"}; }\n';

const EXPECTED_JSON = `{
  "dev": {
    "X-Features": "{\\"agent_arch\\": \\"dual-llm\\", \\"content_classifiers\\": [{\\"name\\": \\"pii_redaction\\", \\"threshold\\": 0.8}]}",
    "X-Policy": "{\\"mode\\": \\"standard\\", \\"codes\\": {\\"code\\": \\"tool \\\\\\"send_email\\\\\\" { hard deny when to.value in {str like w\\\\\\"*@gmail.com\\\\\\"}; }\\\\n\\", \\"language\\": \\"sqrt\\"}}",
    "X-Config": "{\\"fsm\\": {\\"max_n_turns\\": 10}, \\"response_format\\": {\\"include_program\\": true}}"
  },
  "prod": {
    "X-Features": "{\\"agent_arch\\": \\"dual-llm\\", \\"content_classifiers\\": []}",
    "X-Policy": "{\\"mode\\": \\"strict\\", \\"codes\\": {\\"code\\": \\"tool \\\\\\"send_email\\\\\\" { hard deny when to.value in {str like w\\\\\\"*@gmail.com\\\\\\"}; }\\\\n\\\\ntool \\\\\\"delete_file\\\\\\" { hard deny when path.value in {str like w\\\\\\"/etc/*\\\\\\"}; }\\", \\"language\\": \\"sqrt\\"}, \\"tenant\\": \\"acme\\"}",
    "X-Config": "{\\"fsm\\": {}, \\"response_format\\": {\\"include_program\\": true}}"
  }
}
`;

const tsProject = (config = CONFIG_TS) => installedProject({ "tsconfig.json": STRICT_TSCONFIG, "sequrity.config.ts": config, "policies/base.sqrt": POLICY });

// Makes `typescript` unresolvable in a process, by require and by import, wherever it is asked for
// from: the package's own folder has it as a devDependency, a user's install does not.
const NO_TYPESCRIPT = `import { createRequire, register } from "node:module";
const Module = createRequire(import.meta.url)("node:module");
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (/^typescript(\\/|$)/.test(request)) throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: "MODULE_NOT_FOUND" });
  return resolve.call(this, request, ...rest);
};
register("data:text/javascript," + encodeURIComponent(\`export async function resolve(specifier, context, next) {
  if (/^typescript(\\\\/|$)/.test(specifier)) throw Object.assign(new Error("Cannot find package 'typescript'"), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}\`));
`;

describe("defineConfig and SequrityConfig", { timeout: 60_000 }, () => {
  it("type-check a config with directives, presets, $overrides, extends, imports and x- keys under tsc --strict", () => {
    expect(CONFIG_TS).toContain("export default defineConfig({");
    const dir = tsProject();
    writeFileSync(
      path.join(dir, "imports.ts"),
      `import { defineConfig } from "sequrity-config";
export const withImports = defineConfig({
  imports: { org: "@acme/sequrity-baseline", shared: "./shared/sequrity.yaml" },
  environments: { prod: { extends: ["org/prod", "shared"] } },
});
// @ts-expect-error an import is a package name or a path
defineConfig({ imports: { org: 1 }, environments: {} });
`,
    );
    expect(tsc(dir)).toEqual({ status: 0, output: "" });
  });

  it("make tsc --strict reject a wrongly typed field, an unknown key and a directive that does not fit, as the docs show", () => {
    const wrong = CONFIG_TS.replace('$preset: "dual-llm"', '$preset: "triple-llm"')
      .replace("dev: { config:", "dev: { confg:")
      .replace('mode: "strict"', 'mode: { $append: "strict" }');
    expect(TSC_SAYS).not.toBe("");
    expect(tsc(tsProject(wrong))).toEqual({ status: 2, output: TSC_SAYS });
  });

  it("defineConfig returns its argument unchanged", async () => {
    const { defineConfig } = await import("../../src/index.js");
    const config = { environments: { dev: null } };
    expect(defineConfig(config)).toBe(config);
  });
});

describe("a sequrity.config.ts", { timeout: 60_000 }, () => {
  it("loads and builds through the CLI in a folder where typescript cannot be resolved", () => {
    const dir = tsProject();
    writeFileSync(path.join(dir, "no-typescript.mjs"), NO_TYPESCRIPT);
    const env = { ...process.env, NODE_PATH: "", NODE_OPTIONS: "" };
    const run = (args: string[], cwd = dir, extra: string[] = []) => spawnSync(process.execPath, [...extra, ...args], { cwd, env, encoding: "utf8" });
    const blocked = ["--import", path.join(dir, "no-typescript.mjs")];
    // Not from the project, and (with the hook) not even from this package, which has it as a devDependency.
    expect(run(["-e", 'require.resolve("typescript")']).stderr).toContain("Cannot find module 'typescript'");
    expect(run(["-e", 'require.resolve("typescript")'], ROOT, blocked).stderr).toContain("Cannot find module 'typescript'");
    expect(run(["--input-type=module", "-e", 'await import("typescript")'], ROOT, blocked).stderr).toContain("Cannot find package 'typescript'");
    const r = run([path.join(ROOT, "bin/sequrity-config.js"), "build", "-f", "json"], dir, blocked);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toBe(EXPECTED_JSON);
  });

  it("that throws is reported with its file name and the thrown message, no stack", async () => {
    const dir = tsProject(
      'const sealed: boolean = true;\nif (sealed) throw new Error("the vault is sealed\\n    at somewhere (x.ts:1:1)");\nexport default {};\n',
    );
    expect(await runCli(["validate"], dir)).toEqual({
      code: 1,
      stdout: "",
      stderr: "sequrity.config.ts: error: cannot load sequrity.config.ts: the vault is sealed\n1 error\n",
    });
  });

  it("that throws something other than an Error is reported with that value", async () => {
    const dir = tsProject('throw "no config today";\n');
    expect((await runCli(["validate"], dir)).stderr).toBe("sequrity.config.ts: error: cannot load sequrity.config.ts: no config today\n1 error\n");
  });

  it("with a syntax error is reported at the error, with its line", async () => {
    const dir = tsProject("export default {\n  environments: {\n    dev: ?\n  },\n};\n");
    expect((await runCli(["validate"], dir)).stderr).toBe(
      [
        "sequrity.config.ts:3:10: error: cannot load sequrity.config.ts: ParseError: Unexpected token",
        "  3 |     dev: ?",
        "    |          ^",
        "1 error",
        "",
      ].join("\n"),
    );
  });

  it("is served by the bundler plugins too", async () => {
    const dir = tsProject();
    writeFileSync(path.join(dir, "entry.js"), 'export { SEQURITY_HEADERS } from "virtual:sequrity-headers";\n');
    await build({
      absWorkingDir: dir,
      entryPoints: ["entry.js"],
      bundle: true,
      format: "esm",
      outfile: "out/bundle.mjs",
      logLevel: "silent",
      plugins: [sequrity()],
    });
    expect(asJson(await importBundle(path.join(dir, "out/bundle.mjs")))).toBe(EXPECTED_JSON);
  });
});
